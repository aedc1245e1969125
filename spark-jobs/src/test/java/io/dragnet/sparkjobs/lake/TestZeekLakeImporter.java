package io.dragnet.sparkjobs.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.storage.RepositoryPaths;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The importer over the real Trickbot slices in samples/zeek (TSV as Zeek wrote them, and the same rows in Zeek's JSON
 * form, gzip, under rotation names). Parts are read back with parquet-hadoop's own reader.
 */
class TestZeekLakeImporter
{
    private static final Path SAMPLES = RepositoryPaths.root().resolve("samples/zeek");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ZeekLakeImporter importer = new ZeekLakeImporter(Map.of());

    @Test
    void tsvAndGzipJsonUnderRotationNamesLandInTheirUtcDaysWithTheSameTypedRecords(@TempDir Path temp)
            throws IOException
    {
        Path tsv = Files.createDirectories(temp.resolve("tsv"));
        Files.copy(SAMPLES.resolve("dns.log"), tsv.resolve("dns.log"));
        Files.copy(SAMPLES.resolve("conn.log"), tsv.resolve("conn.log"));
        Path json = Files.createDirectories(temp.resolve("json/2018-11-02"));
        List<String> dnsJson = zeekJson(Files.readAllLines(SAMPLES.resolve("dns.log")));
        gzip(json.resolve("dns.00:00:00-01:00:00.log.gz"), dnsJson.subList(0, 100));
        gzip(json.resolve("dns.2018-11-02-01-00-00.json.gz"), dnsJson.subList(100, dnsJson.size()));

        ImportSummary fromTsv = importer.importLogs(tsv, temp.resolve("lake-tsv"), ZeekLakeImporter.Selection.ALL);
        ImportSummary fromJson = importer.importLogs(temp.resolve("json"), temp.resolve("lake-json"), ZeekLakeImporter.Selection.ALL);

        assertThat(fromTsv.complete()).isTrue();
        assertThat(fromTsv.partitions()).extracting(ImportSummary.Partition::source, ImportSummary.Partition::day, ImportSummary.Partition::records)
                .containsExactlyElementsOf(expectedDays(Map.of("zeek_conn", SAMPLES.resolve("conn.log"), "zeek_dns", SAMPLES.resolve("dns.log"))));
        assertThat(fromJson.complete()).isTrue();
        assertThat(fromJson.partitions()).extracting(ImportSummary.Partition::source, ImportSummary.Partition::day, ImportSummary.Partition::records, ImportSummary.Partition::files)
                .containsExactly(tuple("zeek_dns", "2018-11-02", 250L, 2));
        assertThat(records(temp.resolve("lake-json/zeek_dns/dt=2018-11-02"), false))
                .as("the JSON form types its fields from its records as the TSV header types them")
                .isEqualTo(records(temp.resolve("lake-tsv/zeek_dns/dt=2018-11-02"), false));
        MessageType schema = schema(temp.resolve("lake-tsv/zeek_dns/dt=2018-11-02"));
        assertThat(schema.getType("ts").toString()).isEqualTo("optional int64 ts (TIMESTAMP(MICROS,true))");
        assertThat(schema.getType("id.resp_p").toString()).isEqualTo("optional int64 id.resp_p");
        assertThat(schema.getType("rtt").toString()).isEqualTo("optional double rtt");
        assertThat(schema.getType("AA").toString()).isEqualTo("optional boolean AA");
        assertThat(schema.getType("answers").toString()).isEqualTo("optional binary answers (STRING)");
        assertThat(codecs(temp.resolve("lake-tsv/zeek_dns/dt=2018-11-02"))).containsOnly(CompressionCodecName.ZSTD);
    }

    @Test
    void importingAgainReplacesWhatAFileContributedAndKeepsOtherFiles(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        List<String> lines = Files.readAllLines(SAMPLES.resolve("dns.log"));
        Files.write(zeek.resolve("dns.log"), lines);
        Path lake = temp.resolve("lake");
        Path day = lake.resolve("zeek_dns/dt=2018-11-02");

        importer.importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        Map<String, byte[]> first = contents(day);
        importer.importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        assertThat(contents(day)).as("same input, same part, same bytes").containsOnlyKeys(first.keySet());
        assertThat(contents(day).values().iterator().next()).isEqualTo(first.values().iterator().next());

        Files.write(zeek.resolve("dns.log"), lines.subList(0, 8 + 10));
        Files.write(zeek.resolve("dns.01.log"), lines.subList(0, 8 + 3));
        ImportSummary again = importer.importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        assertThat(again.partitions()).extracting(ImportSummary.Partition::records, ImportSummary.Partition::files).containsExactly(tuple(13L, 2));
        assertThat(records(day, false)).as("the shrunk file replaced its part; the new file added one").hasSize(13);
        try (Stream<Path> files = Files.walk(lake)) {
            files.forEach(file -> {
                String mode = permissions(file);
                assertThat(mode).as(file.toString()).isEqualTo(Files.isDirectory(file) ? "rwx------" : "rw-------");
                assertThat(file.getFileName().toString()).doesNotEndWith(".tmp");
            });
        }
    }

    @Test
    void aFileThatMovedToOtherDaysLeavesNoStalePartBehind(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        String header = String.join("\n", Files.readAllLines(SAMPLES.resolve("dns.log")).subList(0, 8)) + "\n";
        Files.writeString(zeek.resolve("dns.log"), header + "1541116799.9\tC1\t172.16.9.233\t5353\t224.0.0.251\t5353\tudp\t0\t-\tlate.example\t-\t-\t-\t-\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF\n");
        Path lake = temp.resolve("lake");
        importer.importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        assertThat(records(lake.resolve("zeek_dns/dt=2018-11-01"), false)).hasSize(1);

        Files.writeString(zeek.resolve("dns.log"), header + "1541116800.0\tC2\t172.16.9.233\t5353\t224.0.0.251\t5353\tudp\t0\t-\tmidnight.example\t-\t-\t-\t-\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF\n");
        importer.importLogs(zeek, lake, ZeekLakeImporter.Selection.ALL);
        assertThat(records(lake.resolve("zeek_dns/dt=2018-11-01"), false)).isEmpty();
        assertThat(records(lake.resolve("zeek_dns/dt=2018-11-02"), false)).singleElement().asString().contains("query=midnight.example");
    }

    @Test
    void selectionLimitsSourcesAndDays(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        String header = String.join("\n", Files.readAllLines(SAMPLES.resolve("dns.log")).subList(0, 8)) + "\n";
        String row = "\tC\t172.16.9.233\t5353\t224.0.0.251\t5353\tudp\t0\t-\tq.example\t-\t-\t-\t-\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF\n";
        Files.writeString(zeek.resolve("dns.log"), header + "1541030400.0" + row + "1541116800.0" + row + "1541203200.0" + row);
        Files.copy(SAMPLES.resolve("conn.log"), zeek.resolve("conn.log"));
        ImportSummary summary = importer.importLogs(zeek, temp.resolve("lake"),
                new ZeekLakeImporter.Selection(Set.of("zeek_dns"), LocalDate.parse("2018-11-02"), LocalDate.parse("2018-11-02")));
        assertThat(summary.partitions()).extracting(ImportSummary.Partition::source, ImportSummary.Partition::day, ImportSummary.Partition::records)
                .containsExactly(tuple("zeek_dns", "2018-11-02", 1L));
        assertThat(summary.outsideRange()).isEqualTo(2);
        assertThat(summary.skippedFiles()).singleElement().asString().endsWith("conn.log: source zeek_conn not requested");
        assertThat(temp.resolve("lake/zeek_conn")).doesNotExist();
        assertThatThrownBy(() -> new ZeekLakeImporter.Selection(Set.of(), LocalDate.parse("2018-11-02"), LocalDate.parse("2018-11-01")))
                .isInstanceOf(DragnetException.class).hasMessage("--to 2018-11-01 is before --from 2018-11-02; expected a day on or after it");
    }

    @Test
    void unknownLogTypesAreImportedAndDeclaredFromTheirHeaderOrRecords(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        Files.copy(SAMPLES.resolve("conn.log"), zeek.resolve("conn_summary.log"));
        Files.writeString(zeek.resolve("dhcp.json"), """
                {"ts":1541117140.1,"uids":["C1"],"client_addr":"172.16.9.233","host_name":"DESKTOP-1","lease_time":86400.0,"msg_types":["REQUEST","ACK"]}
                {"ts":1541117150.2,"uids":["C2"],"client_addr":"172.16.9.234","lease_time":86400,"requested_addr":"172.16.9.234"}
                """);
        ImportSummary summary = new ZeekLakeImporter(Map.of("zeek_conn", List.of())).importLogs(zeek, temp.resolve("lake"), ZeekLakeImporter.Selection.ALL);
        assertThat(summary.declared()).extracting(ImportSummary.DeclaredSource::name, ImportSummary.DeclaredSource::format)
                .containsExactly(tuple("zeek_conn_summary", "zeek_tsv"), tuple("zeek_dhcp", "zeek_json"));
        assertThat(summary.declared().get(1).fields()).containsExactly(new JobSpec.FieldSpec("ts", "timestamp"), new JobSpec.FieldSpec("uids", "string"),
                new JobSpec.FieldSpec("client_addr", "ip"), new JobSpec.FieldSpec("host_name", "string"), new JobSpec.FieldSpec("lease_time", "double"),
                new JobSpec.FieldSpec("msg_types", "string"), new JobSpec.FieldSpec("requested_addr", "ip"));
        assertThat(summary.declared().get(0).fields()).startsWith(new JobSpec.FieldSpec("ts", "timestamp"), new JobSpec.FieldSpec("uid", "string"),
                new JobSpec.FieldSpec("id.orig_h", "ip"), new JobSpec.FieldSpec("id.orig_p", "long"));
        assertThat(summary.declared().get(0).origin()).isEqualTo("#fields/#types of " + zeek.resolve("conn_summary.log"));
        assertThat(records(temp.resolve("lake/zeek_dhcp/dt=2018-11-02"), false))
                .contains("client_addr=172.16.9.233;host_name=DESKTOP-1;lease_time=86400.0;msg_types=REQUEST,ACK;requested_addr=null;ts=2018-11-02T00:05:40.100Z;uids=C1");
    }

    @Test
    void badLinesAreReportedWithFileAndLineAndBrokenFilesWriteNothing(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        List<String> lines = new ArrayList<>(Files.readAllLines(SAMPLES.resolve("dns.log")).subList(0, 12));
        lines.set(9, lines.get(9).replaceFirst("\\t53\\t", "\tfifty-three\t"));
        Files.write(zeek.resolve("dns.log"), lines);
        byte[] conn = gzipBytes(Files.readAllLines(SAMPLES.resolve("conn.log")));
        Files.write(zeek.resolve("conn.00:00:00-01:00:00.log.gz"), java.util.Arrays.copyOf(conn, conn.length / 2));
        Files.writeString(zeek.resolve("http.log"), "GET / HTTP/1.1 secret-token\n");
        Files.writeString(zeek.resolve("notes.txt"), "not a log");

        ImportSummary summary = importer.importLogs(zeek, temp.resolve("lake"), ZeekLakeImporter.Selection.ALL);
        assertThat(summary.complete()).isFalse();
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(summary.rejectedLines()).containsExactly(zeek.resolve("dns.log") + ":10: field 'id.resp_p' (port): expected an integer, got 'fifty-three'");
        assertThat(summary.partitions()).extracting(ImportSummary.Partition::source, ImportSummary.Partition::records).containsExactly(tuple("zeek_dns", 3L));
        assertThat(summary.failedFiles()).hasSize(2);
        assertThat(summary.failedFiles().get(0)).startsWith(zeek.resolve("conn.00:00:00-01:00:00.log.gz") + ":").contains(": cannot read the file past line ").contains("(Unexpected end of ZLIB input stream)")
                .endsWith("expected a complete file, plain or gzip; nothing of it was imported");
        assertThat(summary.failedFiles().get(1)).isEqualTo(zeek.resolve("http.log") + ":1: expected a Zeek TSV header (#separator, #fields, #types) or one JSON object per line")
                .doesNotContain("secret-token");
        assertThat(temp.resolve("lake/zeek_conn")).satisfiesAnyOf(
                path -> assertThat(path).doesNotExist(),
                path -> assertThat(records(path.resolve("dt=2018-11-02"), true)).isEmpty());
        assertThat(summary.skippedFiles()).singleElement().asString().startsWith(zeek.resolve("notes.txt") + ": not named like a Zeek log");
    }

    @Test
    void partNamesFollowThePathUnderTheFolder()
    {
        assertThat(ZeekLakeImporter.partName("2024-01-01/conn.00:00:00-01:00:00.log.gz")).matches("2024-01-01_conn\\.00_00_00-01_00_00\\.log\\.gz-[0-9a-f]{8}\\.parquet");
        assertThat(ZeekLakeImporter.partName("a/b:c.log")).isNotEqualTo(ZeekLakeImporter.partName("a/b_c.log"));
        assertThat(io.dragnet.contracts.ZeekLogNames.sourceName("Conn-Long")).isEqualTo("zeek_conn_long");
    }

    /** (source, day, data rows) from the raw logs: each row's UTC day of its ts, counted here without the importer. */
    private static List<org.assertj.core.groups.Tuple> expectedDays(Map<String, Path> logs)
            throws IOException
    {
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, Path> log : logs.entrySet()) {
            for (String line : Files.readAllLines(log.getValue())) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    double seconds = Double.parseDouble(line.substring(0, line.indexOf('\t')));
                    counts.merge(log.getKey() + " " + LocalDate.ofInstant(Instant.ofEpochSecond((long) Math.floor(seconds)), ZoneOffset.UTC), 1L, Long::sum);
                }
            }
        }
        return counts.entrySet().stream().map(entry -> tuple(entry.getKey().split(" ")[0], entry.getKey().split(" ")[1], entry.getValue())).toList();
    }

    /** Zeek's JSON writer's form of TSV rows: numbers, booleans, arrays for sets and vectors, unset fields left out. */
    static List<String> zeekJson(List<String> tsv)
    {
        List<String> fields = List.of();
        List<String> types = List.of();
        List<String> out = new ArrayList<>();
        for (String line : tsv) {
            if (line.startsWith("#fields")) {
                fields = List.of(line.split("\t")).subList(1, line.split("\t").length);
            }
            else if (line.startsWith("#types")) {
                types = List.of(line.split("\t")).subList(1, line.split("\t").length);
            }
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            String[] values = line.split("\t", -1);
            ObjectNode record = MAPPER.createObjectNode();
            for (int i = 0; i < fields.size(); i++) {
                String value = values[i];
                String type = types.get(i);
                if (value.equals("-")) {
                    continue;
                }
                if (type.startsWith("vector") || type.startsWith("set")) {
                    ArrayNode array = record.putArray(fields.get(i));
                    if (!value.equals("(empty)")) {
                        for (String element : value.split(",")) {
                            array.add(element);
                        }
                    }
                }
                else {
                    switch (type) {
                        case "time", "interval", "double" -> record.put(fields.get(i), new java.math.BigDecimal(value));
                        case "count", "port", "int" -> record.put(fields.get(i), Long.parseLong(value));
                        case "bool" -> record.put(fields.get(i), value.equals("T"));
                        default -> record.put(fields.get(i), value);
                    }
                }
            }
            out.add(record.toString());
        }
        return out;
    }

    private static void gzip(Path file, List<String> lines)
            throws IOException
    {
        Files.write(file, gzipBytes(lines));
    }

    private static byte[] gzipBytes(List<String> lines)
            throws IOException
    {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Every record of a day's parts as {@code field=value;…} by field name (times as ISO instants), sorted; empty when the day is absent. */
    static List<String> records(Path day, boolean includeHidden)
    {
        List<String> records = new ArrayList<>();
        for (Path part : parts(day, includeHidden)) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(part.toUri())).build()) {
                Group group;
                while ((group = reader.read()) != null) {
                    Map<String, String> values = new TreeMap<>();
                    MessageType schema = (MessageType) group.getType();
                    for (int i = 0; i < schema.getFieldCount(); i++) {
                        StringBuilder text = new StringBuilder();
                        if (group.getFieldRepetitionCount(i) == 0) {
                            text.append("null");
                        }
                        else if (schema.getType(i).getLogicalTypeAnnotation() != null && schema.getType(i).getLogicalTypeAnnotation().toString().startsWith("TIMESTAMP")) {
                            long micros = group.getLong(i, 0);
                            text.append(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
                        }
                        else {
                            text.append(group.getValueToString(i, 0));
                        }
                        values.put(schema.getFieldName(i), text.toString());
                    }
                    records.add(values.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(java.util.stream.Collectors.joining(";")));
                }
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        records.sort(null);
        return records;
    }

    private static MessageType schema(Path day)
            throws IOException
    {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(parts(day, false).get(0).toUri()), new Configuration()))) {
            return reader.getFooter().getFileMetaData().getSchema();
        }
    }

    private static Set<CompressionCodecName> codecs(Path day)
            throws IOException
    {
        Set<CompressionCodecName> codecs = new java.util.HashSet<>();
        for (Path part : parts(day, false)) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
                reader.getFooter().getBlocks().forEach(block -> block.getColumns().stream().map(ColumnChunkMetaData::getCodec).forEach(codecs::add));
            }
        }
        return codecs;
    }

    private static List<Path> parts(Path day, boolean includeHidden)
    {
        if (!Files.isDirectory(day)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(day)) {
            return files.filter(file -> includeHidden || !file.getFileName().toString().startsWith(".")).sorted().toList();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> contents(Path day)
            throws IOException
    {
        Map<String, byte[]> contents = new TreeMap<>();
        for (Path part : parts(day, true)) {
            contents.put(part.getFileName().toString(), Files.readAllBytes(part));
        }
        return contents;
    }

    private static String permissions(Path file)
    {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
