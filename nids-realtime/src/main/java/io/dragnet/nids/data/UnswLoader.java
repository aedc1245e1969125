package io.dragnet.nids.data;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.features.ConnectionFeatures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads UNSW-NB15 in both published layouts, told apart by the first line:
 * <ul>
 * <li>partitioned CSV (UNSW_NB15_training-set.csv / testing-set.csv): 45 columns with a header, no addresses;</li>
 * <li>raw CSV (UNSW-NB15_1..4.csv): 49 columns in NUSW-NB15_features.csv order, no header, with addresses and times.</li>
 * </ul>
 * Copes with what the real files contain: a UTF-8 byte order mark, CRLF line ends, hex ports ("0xc0a8"), "-" ports,
 * blank ct_flw_http_mthd / is_ftp_login, attack_cat blank for normal traffic or padded with spaces, "Backdoors" for
 * "Backdoor", "Label" vs "label". Anything else malformed is a user error naming the file and line.
 */
public final class UnswLoader
{
    public static final int RAW_COLUMNS = 49;
    public static final int PARTITIONED_COLUMNS = 45;

    private UnswLoader() {}

    public enum Layout { RAW, PARTITIONED }

    public static List<UnswRow> load(Path file)
    {
        return load(file, Integer.MAX_VALUE);
    }

    public static List<UnswRow> load(Path file, int limit)
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            if (first == null) {
                throw DragnetException.user(file + ":1: empty file, expected UNSW-NB15 CSV");
            }
            first = stripBom(first);
            List<UnswRow> rows = new ArrayList<>();
            if (first.toLowerCase(Locale.ROOT).startsWith("id,")) {
                Map<String, Integer> header = header(file, first);
                int lineNumber = 1;
                for (String line = reader.readLine(); line != null && rows.size() < limit; line = reader.readLine()) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        rows.add(partitioned(file, lineNumber, header, line));
                    }
                }
            }
            else {
                int lineNumber = 1;
                for (String line = first; line != null && rows.size() < limit; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        rows.add(raw(file, lineNumber, line));
                    }
                    lineNumber++;
                }
            }
            return rows;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Layout layout(Path file)
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return first != null && stripBom(first).toLowerCase(Locale.ROOT).startsWith("id,") ? Layout.PARTITIONED : Layout.RAW;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String stripBom(String line)
    {
        return line.startsWith("\ufeff") ? line.substring(1) : line;
    }

    private static Map<String, Integer> header(Path file, String line)
    {
        String[] names = line.split(",", -1);
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            header.put(names[i].trim().replace(" ", "").toLowerCase(Locale.ROOT), i);
        }
        if (names.length != PARTITIONED_COLUMNS) {
            throw DragnetException.user(file + ":1: expected the " + PARTITIONED_COLUMNS + "-column UNSW-NB15 header, found " + names.length + " columns");
        }
        for (String required : List.of("proto", "service", "state", "attack_cat", "label", "ct_srv_src", "ct_src_ltm")) {
            if (!header.containsKey(required)) {
                throw DragnetException.user(file + ":1: header lacks column '" + required + "'");
            }
        }
        for (String measure : SensorSession.MEASURES) {
            if (!header.containsKey(partitionedName(measure))) {
                throw DragnetException.user(file + ":1: header lacks column '" + partitionedName(measure) + "'");
            }
        }
        return header;
    }

    private static String partitionedName(String measure)
    {
        return switch (measure) {
            case "http_methods" -> "ct_flw_http_mthd";
            case "ftp_login" -> "is_ftp_login";
            case "ftp_commands" -> "ct_ftp_cmd";
            default -> measure;
        };
    }

    private static UnswRow partitioned(Path file, int lineNumber, Map<String, Integer> header, String line)
    {
        Fields fields = new Fields(file, lineNumber, line.split(",", -1), PARTITIONED_COLUMNS);
        double[] measures = new double[SensorSession.MEASURES.size()];
        for (int i = 0; i < measures.length; i++) {
            measures[i] = fields.number(header.get(partitionedName(SensorSession.MEASURES.get(i))), SensorSession.MEASURES.get(i));
        }
        SensorSession session = new SensorSession("unsw-" + fields.text(header.get("id")), "0.0.0.0", 0, "0.0.0.0", 0,
                fields.text(header.get("proto")), fields.text(header.get("service")), fields.text(header.get("state")), 0, 0, measures);
        ConnectionFeatures features = new ConnectionFeatures(
                fields.integer(header.get("ct_srv_src"), "ct_srv_src"),
                fields.integer(header.get("ct_srv_dst"), "ct_srv_dst"),
                fields.integer(header.get("ct_dst_ltm"), "ct_dst_ltm"),
                fields.integer(header.get("ct_src_ltm"), "ct_src_ltm"),
                fields.integer(header.get("ct_src_dport_ltm"), "ct_src_dport_ltm"),
                fields.integer(header.get("ct_dst_sport_ltm"), "ct_dst_sport_ltm"),
                fields.integer(header.get("ct_dst_src_ltm"), "ct_dst_src_ltm"),
                fields.integer(header.get("ct_state_ttl"), "ct_state_ttl"),
                fields.integer(header.get("ct_flw_http_mthd"), "ct_flw_http_mthd"),
                fields.integer(header.get("is_ftp_login"), "is_ftp_login"),
                fields.integer(header.get("ct_ftp_cmd"), "ct_ftp_cmd"));
        int label = fields.integer(header.get("label"), "label");
        return new UnswRow(session, features, fields.integer(header.get("is_sm_ips_ports"), "is_sm_ips_ports"),
                category(fields.raw(header.get("attack_cat")), label), label, lineNumber);
    }

    // Raw column order: NUSW-NB15_features.csv.
    private static UnswRow raw(Path file, int lineNumber, String line)
    {
        Fields f = new Fields(file, lineNumber, stripBom(line).split(",", -1), RAW_COLUMNS);
        double dur = f.number(6, "dur");
        double spkts = f.number(16, "Spkts");
        double dpkts = f.number(17, "Dpkts");
        // The raw files lack the partitioned files' "rate": packets per second as (spkts + dpkts - 1) / dur there.
        double rate = dur > 0 ? (spkts + dpkts - 1) / dur : 0;
        double[] measures = {
                dur, spkts, dpkts, f.number(7, "sbytes"), f.number(8, "dbytes"), rate, f.number(9, "sttl"), f.number(10, "dttl"),
                f.number(14, "Sload"), f.number(15, "Dload"), f.number(11, "sloss"), f.number(12, "dloss"),
                f.number(30, "Sintpkt"), f.number(31, "Dintpkt"), f.number(26, "Sjit"), f.number(27, "Djit"),
                f.number(18, "swin"), f.number(20, "stcpb"), f.number(21, "dtcpb"), f.number(19, "dwin"),
                f.number(32, "tcprtt"), f.number(33, "synack"), f.number(34, "ackdat"),
                f.number(22, "smeansz"), f.number(23, "dmeansz"), f.number(24, "trans_depth"), f.number(25, "res_bdy_len"),
                f.blankAsZero(37, "ct_flw_http_mthd"), f.blankAsZero(38, "is_ftp_login"), f.blankAsZero(39, "ct_ftp_cmd")};
        long startMs = (long) f.number(28, "Stime") * 1000;
        long endMs = (long) f.number(29, "Ltime") * 1000;
        SensorSession session = new SensorSession("unsw-raw-" + lineNumber, f.text(0), f.port(1, "sport"), f.text(2), f.port(3, "dsport"),
                f.text(4), f.text(13), f.text(5), startMs, endMs, measures);
        ConnectionFeatures features = new ConnectionFeatures(
                f.integer(40, "ct_srv_src"), f.integer(41, "ct_srv_dst"), f.integer(42, "ct_dst_ltm"), f.integer(43, "ct_src_ ltm"),
                f.integer(44, "ct_src_dport_ltm"), f.integer(45, "ct_dst_sport_ltm"), f.integer(46, "ct_dst_src_ltm"),
                f.integer(36, "ct_state_ttl"), (int) f.blankAsZero(37, "ct_flw_http_mthd"), (int) f.blankAsZero(38, "is_ftp_login"),
                (int) f.blankAsZero(39, "ct_ftp_cmd"));
        int label = f.integer(48, "Label");
        return new UnswRow(session, features, f.integer(35, "is_sm_ips_ports"), category(f.raw(47), label), label, lineNumber);
    }

    static String category(String value, int label)
    {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return label == 0 ? UnswRow.NORMAL : "Unknown";
        }
        return trimmed.equals("Backdoors") ? "Backdoor" : trimmed;
    }

    private record Fields(Path file, int line, String[] values, int expected)
    {
        Fields
        {
            if (values.length != expected) {
                throw DragnetException.user(file + ":" + line + ": expected " + expected + " comma-separated columns, found " + values.length);
            }
        }

        String raw(int index)
        {
            return values[index];
        }

        String text(int index)
        {
            String value = values[index].trim();
            if (value.isEmpty()) {
                throw DragnetException.user(file + ":" + line + ": column " + (index + 1) + " is empty");
            }
            return value;
        }

        double number(int index, String name)
        {
            String value = values[index].trim();
            try {
                return Double.parseDouble(value);
            }
            catch (NumberFormatException e) {
                throw DragnetException.user(file + ":" + line + ": column " + (index + 1) + " (" + name + "): expected a number, found '" + value + "'");
            }
        }

        double blankAsZero(int index, String name)
        {
            return values[index].isBlank() ? 0 : number(index, name);
        }

        int integer(int index, String name)
        {
            double value = number(index, name);
            if (value != Math.rint(value)) {
                throw DragnetException.user(file + ":" + line + ": column " + (index + 1) + " (" + name + "): expected an integer, found '" + values[index] + "'");
            }
            return (int) value;
        }

        int port(int index, String name)
        {
            String value = values[index].trim();
            if (value.equals("-") || value.isEmpty()) {
                return 0;
            }
            try {
                int port = value.startsWith("0x") || value.startsWith("0X") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            }
            catch (NumberFormatException e) {
                throw DragnetException.user(file + ":" + line + ": column " + (index + 1) + " (" + name + "): expected a port (decimal or 0x hex), found '" + value + "'");
            }
        }
    }
}
