package io.dragnet.nids.features;

/**
 * The features UNSW-NB15 derives from a connection and the connections before it (names as in the dataset).
 */
public record ConnectionFeatures(
        int ctSrvSrc,
        int ctSrvDst,
        int ctDstLtm,
        int ctSrcLtm,
        int ctSrcDportLtm,
        int ctDstSportLtm,
        int ctDstSrcLtm,
        int ctStateTtl,
        int ctFlwHttpMthd,
        int isFtpLogin,
        int ctFtpCmd)
{
    /**
     * UNSW-NB15 ct_state_ttl: a class of (state, source TTL, destination TTL). The dataset documents it only as
     * "according to specific range of values"; this table is read off the 82,332-row partitioned file, where it
     * reproduces all but 173 rows (the (CON,254,60) and (CON,254,252) cells carry two values there).
     */
    public static int stateTtl(String state, int sttl, int dttl)
    {
        boolean highSource = sttl == 62 || sttl == 254 || sttl == 255;
        boolean highDestination = dttl == 252 || dttl == 253;
        return switch (state) {
            case "FIN" -> highSource && highDestination ? 1 : 0;
            case "INT" -> dttl == 0 && (highSource || sttl == 0) ? 2 : 0;
            case "CON" -> {
                if (sttl == 62 && highDestination) {
                    yield 3;
                }
                if (sttl == 254 && dttl == 60) {
                    yield 3;
                }
                yield sttl == 254 && dttl == 252 ? 4 : 0;
            }
            case "ACC" -> sttl == 254 && dttl == 252 ? 4 : 0;
            case "REQ" -> sttl == 254 && dttl == 0 ? 6 : 0;
            default -> 0;
        };
    }
}
