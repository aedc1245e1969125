package io.dragnet.sparkjobs.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.ZeekLogNames;
import io.dragnet.sparkjobs.internal.FieldType;
import io.dragnet.sparkjobs.internal.JsonLineParser;
import io.dragnet.sparkjobs.internal.LineParser;
import io.dragnet.sparkjobs.internal.ZeekHeader;
import io.dragnet.sparkjobs.internal.ZeekTsvLineParser;
import io.dragnet.storage.OwnerOnly;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static java.util.Objects.requireNonNull;

/**
 * Imports a folder of Zeek logs into the lake as typed Parquet (zstd):
 * {@code <lake>/zeek_<log>/dt=<UTC day of ts>/<part>.parquet}, one part per (input file, day).
 *
 * <ul>
 * <li>Inputs: every file under the folder (recursively) named like a Zeek log, {@code <log>.log}, rotated
 *     ({@code conn.00:00:00-01:00:00.log.gz}, {@code conn.2024-01-01-00-00-00.json.gz}) or {@code <log>.json}; TSV
 *     (with its {@code #fields/#types} header) or JSON lines, told apart by content; gzip told by its magic bytes.</li>
 * <li>Types: a TSV log's own {@code #types}; a JSON log of a known source takes the source's declared fields
 *     (sources.yaml), other keys and unknown logs are typed from their first {@value #INFERENCE_RECORDS} records
 *     ({@link JsonFieldInference}). Logs of sources nobody declared are imported too and reported with their schema.</li>
 * <li>Idempotent: a part is named after the input file's path under the folder, so importing a file again replaces
 *     what it contributed (also on days it no longer covers) and never duplicates it; other files' parts stay.</li>
 * <li>Atomic and private: each part is written owner-only to a hidden temporary sibling and renamed into place after
 *     the whole input file was read; a file that cannot be read to its end writes nothing.</li>
 * <li>Lines that do not parse are not imported and are reported as {@code file:line: reason}.</li>
 * </ul>
 * Plain Java: no Spark needed.
 */
public final class ZeekLakeImporter
{
    static final int INFERENCE_RECORDS = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long ROW_GROUP_BYTES = 64L << 20;

    private final Map<String, List<JobSpec.FieldSpec>> knownSources;

    /** @param knownSources declared schemas by source name ({@code zeek_conn} …), from the source catalog */
    public ZeekLakeImporter(Map<String, List<JobSpec.FieldSpec>> knownSources)
    {
        this.knownSources = Map.copyOf(requireNonNull(knownSources, "knownSources is null"));
    }

    /**
     * Which logs and days to import.
     *
     * @param sources source names to import ({@code zeek_conn} …); empty for all
     * @param from first day, inclusive; null for no lower bound
     * @param to last day, inclusive; null for no upper bound
     */
    public record Selection(Set<String> sources, LocalDate from, LocalDate to)
    {
        public static final Selection ALL = new Selection(Set.of(), null, null);

        public Selection
        {
            sources = Set.copyOf(sources);
            if (from != null && to != null && to.isBefore(from)) {
                throw DragnetException.user("--to " + to + " is before --from " + from + "; expected a day on or after it");
            }
        }

        boolean includes(LocalDate day)
        {
            return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
        }
    }

    public ImportSummary importLogs(Path zeekDir, Path lake, Selection selection)
    {
        if (!Files.isDirectory(zeekDir)) {
            throw DragnetException.user("Zeek log folder " + zeekDir + " does not exist; expected a folder of Zeek logs");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(zeekDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + zeekDir, e);
        }
        Tally tally = new Tally();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Optional<String> named = ZeekLogNames.source(name);
            if (named.isEmpty()) {
                tally.skipped.add(file + ": not named like a Zeek log (<log>.log, <log>.<rotation>.log.gz, <log>.json …)");
                continue;
            }
            String source = named.get();
            if (!selection.sources().isEmpty() && !selection.sources().contains(source)) {
                tally.skipped.add(file + ": source " + source + " not requested");
                continue;
            }
            try {
                importFile(file, zeekDir.relativize(file).toString(), source, lake, selection, tally);
            }
            catch (DragnetException e) {
                tally.failed.add(e.getMessage());
            }
        }
        List<ImportSummary.Partition> partitions = new ArrayList<>();
        tally.records.forEach((key, records) -> partitions.add(new ImportSummary.Partition(key.source(), key.day(), records, tally.files.get(key))));
        return new ImportSummary(partitions, tally.rejectedLines, tally.rejected, tally.outside, List.copyOf(tally.declared.values()), tally.skipped, tally.failed);
    }

    private record DayKey(String source, String day) implements Comparable<DayKey>
    {
        @Override
        public int compareTo(DayKey other)
        {
            int bySource = source.compareTo(other.source);
            return bySource != 0 ? bySource : day.compareTo(other.day);
        }
    }

    private static final class Tally
    {
        final Map<DayKey, Long> records = new TreeMap<>();
        final Map<DayKey, Integer> files = new TreeMap<>();
        final List<String> rejectedLines = new ArrayList<>();
        long rejected;
        long outside;
        final Map<String, ImportSummary.DeclaredSource> declared = new TreeMap<>();
        final List<String> skipped = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        void reject(String where)
        {
            rejected++;
            if (rejectedLines.size() < ImportSummary.SHOWN_REJECTS) {
                rejectedLines.add(where);
            }
        }
    }

    /** Reads one input file into temporary parts per day, then swaps them in and removes the file's stale parts. */
    private void importFile(Path file, String relative, String source, Path lake, Selection selection, Tally tally)
    {
        Path sourceRoot = lake.resolve(source);
        String part = partName(relative);
        Map<LocalDate, ParquetDayFile> writers = new TreeMap<>();
        Map<LocalDate, Path> temporaries = new TreeMap<>();
        long rejectedBefore = tally.rejected;
        int shownBefore = tally.rejectedLines.size();
        try {
            LineParser parser = parser(file, source, tally);
            if (parser == null) {
                removeStaleParts(sourceRoot, part, Set.of(), selection);
                return;
            }
            int timeColumn = parser.fields().indexOf("ts");
            if (timeColumn < 0) {
                throw DragnetException.user(file + ":1: the log has no ts field; expected Zeek's record time 'ts'");
            }
            long lineNumber = 0;
            try (BufferedReader reader = open(file)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (parser.isMetadata(line)) {
                        continue;
                    }
                    LineParser.ParsedLine parsed = parser.parse(line);
                    if (parsed.isRejected()) {
                        tally.reject(file + ":" + lineNumber + ": " + parsed.reason());
                        continue;
                    }
                    Object time = parsed.values()[timeColumn];
                    if (time == null) {
                        tally.reject(file + ":" + lineNumber + ": field 'ts' is unset; expected the record's time");
                        continue;
                    }
                    LocalDate day = LocalDate.ofInstant(((Timestamp) time).toInstant(), ZoneOffset.UTC);
                    if (!selection.includes(day)) {
                        tally.outside++;
                        continue;
                    }
                    ParquetDayFile writer = writers.get(day);
                    if (writer == null) {
                        Path directory = OwnerOnly.createDirectories(sourceRoot.resolve("dt=" + day));
                        Path temporary = directory.resolve("." + part + ".tmp");
                        temporaries.put(day, temporary);
                        writer = new ParquetDayFile(temporary, parser.fields(), parser.types(), ROW_GROUP_BYTES);
                        writers.put(day, writer);
                    }
                    writer.write(parsed.values());
                }
            }
            catch (IOException e) {
                throw unreadable(file, lineNumber, e);
            }
            closeAll(writers);
            removeStaleParts(sourceRoot, part, writers.keySet(), selection);
            for (Map.Entry<LocalDate, Path> temporary : temporaries.entrySet()) {
                Files.move(temporary.getValue(), temporary.getValue().resolveSibling(part), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                DayKey key = new DayKey(source, temporary.getKey().toString());
                tally.records.merge(key, writers.get(temporary.getKey()).records(), Long::sum);
                tally.files.merge(key, 1, Integer::sum);
            }
            temporaries.clear();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the parts of " + file + " under " + sourceRoot, e);
        }
        catch (DragnetException e) {
            // a file that fails writes nothing, and its rejected lines are not reported twice when it is fixed
            tally.rejected = rejectedBefore;
            tally.rejectedLines.subList(shownBefore, tally.rejectedLines.size()).clear();
            throw e;
        }
        finally {
            closeQuietly(writers);
            temporaries.values().forEach(ZeekLakeImporter::deleteQuietly);
        }
    }

    /** The parser for a file: TSV from its header, JSON lines typed from the catalog and its first records; null for a file without any. */
    private LineParser parser(Path file, String source, Tally tally)
            throws IOException
    {
        List<String> header = new ArrayList<>();
        String firstRecord = null;
        List<String> sample = new ArrayList<>();
        try (BufferedReader reader = open(file)) {
            String line;
            while ((line = reader.readLine()) != null && sample.size() < INFERENCE_RECORDS) {
                if (line.isBlank()) {
                    continue;
                }
                if (firstRecord == null && line.startsWith("#")) {
                    header.add(line);
                    continue;
                }
                if (firstRecord == null) {
                    firstRecord = line;
                    if (!header.isEmpty()) {
                        break;
                    }
                }
                sample.add(line);
            }
        }
        catch (IOException e) {
            throw unreadable(file, 0, e);
        }
        if (!header.isEmpty()) {
            ZeekHeader zeekHeader = ZeekHeader.parse(header, file.toString());
            declareIfUnknown(source, "#fields/#types of " + file, "zeek_tsv", zeekHeader.fields(), zeekHeader.fieldTypes(), tally);
            return new ZeekTsvLineParser(zeekHeader);
        }
        if (firstRecord == null) {
            return null;
        }
        if (!firstRecord.startsWith("{")) {
            throw DragnetException.user(file + ":1: expected a Zeek TSV header (#separator, #fields, #types) or one JSON object per line");
        }
        Map<String, FieldType> types = new LinkedHashMap<>();
        for (JobSpec.FieldSpec field : knownSources.getOrDefault(source, List.of())) {
            types.put(field.name(), FieldType.of(field.type()));
        }
        JsonFieldInference inference = new JsonFieldInference();
        int lineNumber = 0;
        for (String record : sample) {
            lineNumber++;
            try {
                JsonNode node = MAPPER.readTree(record);
                if (node != null && node.isObject()) {
                    inference.add(node);
                }
            }
            catch (JsonProcessingException e) {
                // reported with its line when the file is read
            }
        }
        inference.types().forEach(types::putIfAbsent);
        List<String> fields = List.copyOf(types.keySet());
        List<FieldType> fieldTypes = List.copyOf(types.values());
        declareIfUnknown(source, "the first " + Math.min(lineNumber, INFERENCE_RECORDS) + " records of " + file, "zeek_json", fields, fieldTypes, tally);
        return new JsonLineParser(fields, fieldTypes);
    }

    private void declareIfUnknown(String source, String origin, String format, List<String> fields, List<FieldType> types, Tally tally)
    {
        if (knownSources.containsKey(source) || tally.declared.containsKey(source)) {
            return;
        }
        List<JobSpec.FieldSpec> schema = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            schema.add(new JobSpec.FieldSpec(fields.get(i), types.get(i).name().toLowerCase(Locale.ROOT)));
        }
        tally.declared.put(source, new ImportSummary.DeclaredSource(source, origin, format, schema));
    }

    /** Parts of this input file on days it no longer covers (within the selection) would be stale duplicates. */
    private static void removeStaleParts(Path sourceRoot, String part, Set<LocalDate> written, Selection selection)
            throws IOException
    {
        if (!Files.isDirectory(sourceRoot)) {
            return;
        }
        try (Stream<Path> days = Files.list(sourceRoot)) {
            for (Path day : days.filter(path -> path.getFileName().toString().startsWith("dt=")).toList()) {
                LocalDate date;
                try {
                    date = LocalDate.parse(day.getFileName().toString().substring(3));
                }
                catch (java.time.format.DateTimeParseException e) {
                    continue;
                }
                if (!written.contains(date) && selection.includes(date)) {
                    Files.deleteIfExists(day.resolve(part));
                }
            }
        }
    }

    /** {@code <path under the folder, made safe>-<8 hex digits of its SHA-256>.parquet}: the same file always maps to the same part. */
    static String partName(String relativePath)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(relativePath.getBytes(StandardCharsets.UTF_8));
            return relativePath.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(digest, 0, 4) + ".parquet";
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DragnetException unreadable(Path file, long linesRead, IOException e)
    {
        return DragnetException.user(file + ":" + (linesRead + 1) + ": cannot read the file past line " + linesRead + " (" + e.getMessage()
                + "); expected a complete file, plain or gzip; nothing of it was imported");
    }

    private static BufferedReader open(Path file)
            throws IOException
    {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        if (gzip) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static void closeAll(Map<LocalDate, ParquetDayFile> writers)
            throws IOException
    {
        for (ParquetDayFile writer : writers.values()) {
            writer.close();
        }
    }

    private static void closeQuietly(Map<LocalDate, ParquetDayFile> writers)
    {
        for (ParquetDayFile writer : writers.values()) {
            try {
                writer.close();
            }
            catch (IOException | RuntimeException e) {
                // already closed, or failed with the error being reported
            }
        }
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            // best effort: a hidden temporary is never read
        }
    }
}
