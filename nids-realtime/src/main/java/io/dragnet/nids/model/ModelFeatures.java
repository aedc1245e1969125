package io.dragnet.nids.model;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.features.ConnectionFeatures;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The model's input: of the 42 features of the UNSW-NB15 partitioned files (all but id, attack_cat and label), those of
 * its {@link FeatureSet}, in that file's order. proto, service and state become the rank of the value by its frequency
 * in the training data (ties by name); a value never seen in training gets the rank after the last.
 */
public record ModelFeatures(FeatureSet featureSet, Map<String, Integer> protoRanks, Map<String, Integer> serviceRanks, Map<String, Integer> stateRanks)
        implements Serializable
{
    public static final List<String> NAMES = List.of(
            "dur", "proto", "service", "state", "spkts", "dpkts", "sbytes", "dbytes", "rate", "sttl", "dttl", "sload", "dload",
            "sloss", "dloss", "sinpkt", "dinpkt", "sjit", "djit", "swin", "stcpb", "dtcpb", "dwin", "tcprtt", "synack", "ackdat",
            "smean", "dmean", "trans_depth", "response_body_len", "ct_srv_src", "ct_state_ttl", "ct_dst_ltm", "ct_src_dport_ltm",
            "ct_dst_sport_ltm", "ct_dst_src_ltm", "is_ftp_login", "ct_ftp_cmd", "ct_flw_http_mthd", "ct_src_ltm", "ct_srv_dst",
            "is_sm_ips_ports");

    private static final int[] MEASURE_SLOTS;

    static {
        MEASURE_SLOTS = new int[NAMES.size()];
        for (int i = 0; i < NAMES.size(); i++) {
            MEASURE_SLOTS[i] = SensorSession.MEASURES.indexOf(NAMES.get(i));
        }
    }

    public ModelFeatures
    {
        requireNonNull(featureSet, "featureSet is null");
        protoRanks = Map.copyOf(requireNonNull(protoRanks, "protoRanks is null"));
        serviceRanks = Map.copyOf(requireNonNull(serviceRanks, "serviceRanks is null"));
        stateRanks = Map.copyOf(requireNonNull(stateRanks, "stateRanks is null"));
    }

    public static ModelFeatures fit(List<UnswRow> rows, FeatureSet featureSet)
    {
        return new ModelFeatures(featureSet,
                ranks(rows.stream().map(row -> row.session().proto()).toList()),
                ranks(rows.stream().map(row -> row.session().service()).toList()),
                ranks(rows.stream().map(row -> row.session().state()).toList()));
    }

    public double[] vector(UnswRow row)
    {
        return vector(row.session(), row.datasetFeatures(), row.sameIpsAndPorts());
    }

    public double[] vector(SensorSession session, ConnectionFeatures connection)
    {
        return vector(session, connection, session.sameIpsAndPorts());
    }

    /** The model's features: {@link #allFeatures} narrowed to its feature set. */
    public double[] vector(SensorSession session, ConnectionFeatures connection, int sameIpsAndPorts)
    {
        return featureSet.select(allFeatures(session, connection, sameIpsAndPorts));
    }

    public double[] allFeatures(UnswRow row)
    {
        return allFeatures(row.session(), row.datasetFeatures(), row.sameIpsAndPorts());
    }

    /** All 42 features in {@link #NAMES} order, whatever the feature set. */
    public double[] allFeatures(SensorSession session, ConnectionFeatures connection, int sameIpsAndPorts)
    {
        double[] vector = new double[NAMES.size()];
        for (int i = 0; i < vector.length; i++) {
            int slot = MEASURE_SLOTS[i];
            if (slot >= 0) {
                vector[i] = session.measure(slot);
            }
        }
        vector[1] = protoRanks.getOrDefault(session.proto(), protoRanks.size());
        vector[2] = serviceRanks.getOrDefault(session.service(), serviceRanks.size());
        vector[3] = stateRanks.getOrDefault(session.state(), stateRanks.size());
        vector[30] = connection.ctSrvSrc();
        vector[31] = connection.ctStateTtl();
        vector[32] = connection.ctDstLtm();
        vector[33] = connection.ctSrcDportLtm();
        vector[34] = connection.ctDstSportLtm();
        vector[35] = connection.ctDstSrcLtm();
        vector[36] = connection.isFtpLogin();
        vector[37] = connection.ctFtpCmd();
        vector[38] = connection.ctFlwHttpMthd();
        vector[39] = connection.ctSrcLtm();
        vector[40] = connection.ctSrvDst();
        vector[41] = sameIpsAndPorts;
        return vector;
    }

    private static Map<String, Integer> ranks(List<String> values)
    {
        Map<String, Long> frequencies = new HashMap<>();
        values.forEach(value -> frequencies.merge(value, 1L, Long::sum));
        List<Map.Entry<String, Long>> ordered = new ArrayList<>(frequencies.entrySet());
        ordered.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : ordered) {
            ranks.put(entry.getKey(), ranks.size());
        }
        return ranks;
    }
}
