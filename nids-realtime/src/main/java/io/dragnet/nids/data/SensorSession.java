package io.dragnet.nids.data;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One finished connection as a network sensor reports it: the 5-tuple, times, and the per-flow measures the sensor
 * computes itself (Argus/Bro-style counters, no label, no window features). {@code measures} follow {@link #MEASURES}.
 * {@code httpMethods}, {@code ftpLogin} and {@code ftpCommands} are the content observations the sensor makes in HTTP
 * and FTP flows; UNSW-NB15's ct_flw_http_mthd, is_ftp_login and ct_ftp_cmd are derived from them.
 */
public record SensorSession(
        String sessionId,
        String srcIp,
        int srcPort,
        String dstIp,
        int dstPort,
        String proto,
        String service,
        String state,
        long startMs,
        long endMs,
        double[] measures)
        implements Serializable
{
    /** Per-flow measures in wire order; names as in the UNSW-NB15 partitioned files. */
    public static final List<String> MEASURES = List.of(
            "dur", "spkts", "dpkts", "sbytes", "dbytes", "rate", "sttl", "dttl", "sload", "dload", "sloss", "dloss",
            "sinpkt", "dinpkt", "sjit", "djit", "swin", "stcpb", "dtcpb", "dwin", "tcprtt", "synack", "ackdat",
            "smean", "dmean", "trans_depth", "response_body_len", "http_methods", "ftp_login", "ftp_commands");

    public static final int STTL = MEASURES.indexOf("sttl");
    public static final int DTTL = MEASURES.indexOf("dttl");
    public static final int HTTP_METHODS = MEASURES.indexOf("http_methods");
    public static final int FTP_LOGIN = MEASURES.indexOf("ftp_login");
    public static final int FTP_COMMANDS = MEASURES.indexOf("ftp_commands");

    public SensorSession
    {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(srcIp, "srcIp is null");
        requireNonNull(dstIp, "dstIp is null");
        requireNonNull(proto, "proto is null");
        requireNonNull(service, "service is null");
        requireNonNull(state, "state is null");
        requireNonNull(measures, "measures is null");
        if (measures.length != MEASURES.size()) {
            throw new IllegalArgumentException("expected " + MEASURES.size() + " measures, got " + measures.length);
        }
    }

    public double measure(int index)
    {
        return measures[index];
    }

    /** UNSW-NB15 is_sm_ips_ports: same address and same port on both ends. */
    public int sameIpsAndPorts()
    {
        return srcIp.equals(dstIp) && srcPort == dstPort ? 1 : 0;
    }
}
