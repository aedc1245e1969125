package io.dragnet.nids.data;

import io.dragnet.nids.features.ConnectionFeatures;

import static java.util.Objects.requireNonNull;

/**
 * One labelled UNSW-NB15 record: the sensor's view of the connection, the window features as the dataset computed them,
 * and the truth. Rows from the partitioned files have no addresses, ports or times: those fields hold "0.0.0.0", 0 and
 * 0, and {@code sameIpsAndPorts} carries the dataset's own is_sm_ips_ports.
 */
public record UnswRow(
        SensorSession session,
        ConnectionFeatures datasetFeatures,
        int sameIpsAndPorts,
        String attackCategory,
        int label,
        int line)
{
    public static final String NORMAL = "Normal";

    public UnswRow
    {
        requireNonNull(session, "session is null");
        requireNonNull(datasetFeatures, "datasetFeatures is null");
        requireNonNull(attackCategory, "attackCategory is null");
    }
}
