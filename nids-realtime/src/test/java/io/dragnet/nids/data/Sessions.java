package io.dragnet.nids.data;

import io.dragnet.nids.features.ConnectionFeatures;

/** Test sessions with only the fields a test cares about. */
public final class Sessions
{
    private Sessions() {}

    public static SensorSession session(String id, String srcIp, int srcPort, String dstIp, int dstPort, String service)
    {
        double[] measures = new double[SensorSession.MEASURES.size()];
        measures[SensorSession.STTL] = 31;
        measures[SensorSession.DTTL] = 29;
        return new SensorSession(id, srcIp, srcPort, dstIp, dstPort, "tcp", service, "FIN", 1_000, 2_000, measures);
    }

    /**
     * A labelled row as the partitioned file gives it (no addresses, ports or times), differing from others only in
     * {@code dur}; its own window counts are all 1. An attack is of category Generic.
     */
    public static UnswRow unswRow(int line, double dur, int label)
    {
        double[] measures = new double[SensorSession.MEASURES.size()];
        measures[0] = dur;
        SensorSession session = new SensorSession("unsw-" + line, "0.0.0.0", 0, "0.0.0.0", 0, "tcp", "-", "FIN", 0, 0, measures);
        return new UnswRow(session, new ConnectionFeatures(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0), 0, label == 1 ? "Generic" : UnswRow.NORMAL, label, line);
    }
}
