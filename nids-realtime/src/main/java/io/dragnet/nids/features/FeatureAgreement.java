package io.dragnet.nids.features;

import io.dragnet.nids.data.SensorSession;
import io.dragnet.nids.data.UnswRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How often {@link ConnectionWindow}'s features equal the values UNSW-NB15's authors computed, on raw rows (which keep
 * addresses, ports and times): rows replayed in file order or in order of last time, through a window of a given size.
 */
public final class FeatureAgreement
{
    public static final Map<String, ToIntFunction<ConnectionFeatures>> FEATURES;

    static {
        Map<String, ToIntFunction<ConnectionFeatures>> features = new LinkedHashMap<>();
        features.put("ct_srv_src", ConnectionFeatures::ctSrvSrc);
        features.put("ct_srv_dst", ConnectionFeatures::ctSrvDst);
        features.put("ct_dst_ltm", ConnectionFeatures::ctDstLtm);
        features.put("ct_src_ltm", ConnectionFeatures::ctSrcLtm);
        features.put("ct_src_dport_ltm", ConnectionFeatures::ctSrcDportLtm);
        features.put("ct_dst_sport_ltm", ConnectionFeatures::ctDstSportLtm);
        features.put("ct_dst_src_ltm", ConnectionFeatures::ctDstSrcLtm);
        features.put("ct_state_ttl", ConnectionFeatures::ctStateTtl);
        features.put("ct_flw_http_mthd", ConnectionFeatures::ctFlwHttpMthd);
        features.put("is_ftp_login", ConnectionFeatures::isFtpLogin);
        features.put("ct_ftp_cmd", ConnectionFeatures::ctFtpCmd);
        FEATURES = Map.copyOf(features);
    }

    private FeatureAgreement() {}

    public enum Order { FILE, LAST_TIME }

    /** Share of rows (0..1) whose computed value equals the dataset's, per feature, in {@link #names()} order. */
    public static Map<String, Double> check(List<UnswRow> rows, Order order, int windowSize)
    {
        List<UnswRow> ordered = new ArrayList<>(rows);
        if (order == Order.LAST_TIME) {
            ordered.sort(Comparator.comparingLong(row -> row.session().endMs()));
        }
        ConnectionWindow window = new ConnectionWindow(windowSize);
        Map<String, Double> agreement = new LinkedHashMap<>();
        long[] equal = new long[names().size()];
        for (UnswRow row : ordered) {
            ConnectionFeatures computed = window.observe(row.session());
            for (int i = 0; i < equal.length; i++) {
                ToIntFunction<ConnectionFeatures> feature = FEATURES.get(names().get(i));
                if (feature.applyAsInt(computed) == feature.applyAsInt(row.datasetFeatures())) {
                    equal[i]++;
                }
            }
        }
        for (int i = 0; i < equal.length; i++) {
            agreement.put(names().get(i), ordered.isEmpty() ? 0 : (double) equal[i] / ordered.size());
        }
        return agreement;
    }

    /**
     * Agreement of the seven address counts when each is taken over fixed blocks of {@code blockSize} consecutive
     * connections (in file order), counting the whole block, later connections included: the reading of the dataset's
     * "in 100 connections" that reproduces its ct_srv_src and ct_srv_dst best. Not causal, so not what the stream uses.
     */
    public static Map<String, Double> checkBlocks(List<UnswRow> rows, int blockSize)
    {
        List<String> counted = names().subList(0, 7);
        long[] equal = new long[counted.size()];
        for (int start = 0; start < rows.size(); start += blockSize) {
            List<UnswRow> block = rows.subList(start, Math.min(rows.size(), start + blockSize));
            for (UnswRow row : block) {
                ConnectionFeatures whole = countIn(block, row.session());
                for (int i = 0; i < equal.length; i++) {
                    ToIntFunction<ConnectionFeatures> feature = FEATURES.get(counted.get(i));
                    if (feature.applyAsInt(whole) == feature.applyAsInt(row.datasetFeatures())) {
                        equal[i]++;
                    }
                }
            }
        }
        Map<String, Double> agreement = new LinkedHashMap<>();
        for (int i = 0; i < equal.length; i++) {
            agreement.put(counted.get(i), rows.isEmpty() ? 0 : (double) equal[i] / rows.size());
        }
        return agreement;
    }

    private static ConnectionFeatures countIn(List<UnswRow> block, SensorSession session)
    {
        int[] counts = new int[7];
        for (UnswRow other : block) {
            SensorSession o = other.session();
            counts[0] += o.service().equals(session.service()) && o.srcIp().equals(session.srcIp()) ? 1 : 0;
            counts[1] += o.service().equals(session.service()) && o.dstIp().equals(session.dstIp()) ? 1 : 0;
            counts[2] += o.dstIp().equals(session.dstIp()) ? 1 : 0;
            counts[3] += o.srcIp().equals(session.srcIp()) ? 1 : 0;
            counts[4] += o.srcIp().equals(session.srcIp()) && o.dstPort() == session.dstPort() ? 1 : 0;
            counts[5] += o.dstIp().equals(session.dstIp()) && o.srcPort() == session.srcPort() ? 1 : 0;
            counts[6] += o.srcIp().equals(session.srcIp()) && o.dstIp().equals(session.dstIp()) ? 1 : 0;
        }
        return new ConnectionFeatures(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], 0, 0, 0, 0);
    }

    public static List<String> names()
    {
        return List.of("ct_srv_src", "ct_srv_dst", "ct_dst_ltm", "ct_src_ltm", "ct_src_dport_ltm", "ct_dst_sport_ltm", "ct_dst_src_ltm",
                "ct_state_ttl", "ct_flw_http_mthd", "is_ftp_login", "ct_ftp_cmd");
    }
}
