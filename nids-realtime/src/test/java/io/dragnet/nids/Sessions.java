package io.dragnet.nids;

/** Test sessions with only the fields a test cares about. */
final class Sessions
{
    private Sessions() {}

    static SensorSession session(String id, String srcIp, int srcPort, String dstIp, int dstPort, String service)
    {
        double[] measures = new double[SensorSession.MEASURES.size()];
        measures[SensorSession.STTL] = 31;
        measures[SensorSession.DTTL] = 29;
        return new SensorSession(id, srcIp, srcPort, dstIp, dstPort, "tcp", service, "FIN", 1_000, 2_000, measures);
    }
}
