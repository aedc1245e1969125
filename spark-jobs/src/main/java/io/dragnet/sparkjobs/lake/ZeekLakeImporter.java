package io.dragnet.sparkjobs.lake;

import io.dragnet.contracts.OwnerOnly;
import io.dragnet.contracts.DragnetException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Splits Zeek TSV logs into the lake's day partitions: {@code <lake>/zeek_<name>/dt=<UTC day>/<name>.log}, each a
 * valid Zeek log with the original header lines. Rows are assigned by their {@code ts}. Each partition file is
 * written to a temporary sibling and renamed into place; the output is a function of the input, so importing the
 * same logs again leaves identical files (and reports them unchanged). Plain Java: no Spark needed.
 */
public final class ZeekLakeImporter
{
    private ZeekLakeImporter() {}

    /** Imports every {@code <name>.log} or {@code <name>.log.gz} (also rotated {@code <name>.<suffix>.log.gz}) directly in the directory. */
    public static ImportSummary importLogs(Path zeekDir, Path lake)
    {
        if (!Files.isDirectory(zeekDir)) {
            throw DragnetException.user("Zeek log directory " + zeekDir + " does not exist");
        }
        Map<String, List<Path>> filesByName = new TreeMap<>();
        try (Stream<Path> files = Files.list(zeekDir)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".log") || file.getFileName().toString().endsWith(".log.gz"))
                    .sorted()
                    .forEach(file -> filesByName.computeIfAbsent(logName(file), ignored -> new ArrayList<>()).add(file));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + zeekDir, e);
        }
        List<ImportSummary.Partition> partitions = new ArrayList<>();
        List<String> unparsed = new ArrayList<>();
        for (Map.Entry<String, List<Path>> entry : filesByName.entrySet()) {
            partitions.addAll(importLog(entry.getKey(), entry.getValue(), lake, unparsed));
        }
        return new ImportSummary(partitions, unparsed);
    }

    static String logName(Path file)
    {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static List<ImportSummary.Partition> importLog(String name, List<Path> files, Path lake, List<String> unparsed)
    {
        List<String> header = null;
        String close = null;
        Map<String, List<String>> rowsByDay = new TreeMap<>();
        for (Path file : files) {
            List<String> fileHeader = new ArrayList<>();
            int timeColumn = -1;
            String separator = "\t";
            try (BufferedReader reader = open(file)) {
                String line;
                long lineNumber = 0;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (line.startsWith("#")) {
                        if (line.startsWith("#close")) {
                            close = line;
                            continue;
                        }
                        fileHeader.add(line);
                        if (line.startsWith("#separator ")) {
                            separator = unescape(line.substring("#separator ".length()));
                        }
                        if (line.startsWith("#fields")) {
                            timeColumn = Arrays.asList(line.split(separator, -1)).indexOf("ts") - 1;
                        }
                        continue;
                    }
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (timeColumn < 0) {
                        throw DragnetException.user(file + ":" + lineNumber + ": expected a #fields header naming a ts column before the first row");
                    }
                    if (header == null) {
                        header = fileHeader;
                    }
                    else if (!sameFields(header, fileHeader)) {
                        throw DragnetException.user(file + ": #fields differ from the other " + name + " logs; expected " + fields(header));
                    }
                    String[] columns = line.split(separator, -1);
                    String day = columns.length > timeColumn ? day(columns[timeColumn]) : null;
                    if (day == null) {
                        unparsed.add(file + ":" + lineNumber + ": expected epoch seconds in column ts");
                        continue;
                    }
                    rowsByDay.computeIfAbsent(day, ignored -> new ArrayList<>()).add(line);
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        List<ImportSummary.Partition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<String>> day : rowsByDay.entrySet()) {
            Path target = lake.resolve("zeek_" + name).resolve("dt=" + day.getKey()).resolve(name + ".log");
            StringBuilder content = new StringBuilder();
            header.forEach(line -> content.append(line).append('\n'));
            day.getValue().forEach(line -> content.append(line).append('\n'));
            if (close != null) {
                content.append(close).append('\n');
            }
            boolean changed = writeIfChanged(target, content.toString());
            partitions.add(new ImportSummary.Partition("zeek_" + name, day.getKey(), target, day.getValue().size(), changed));
        }
        return partitions;
    }

    private static boolean writeIfChanged(Path target, String content)
    {
        try {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
            OwnerOnly.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, OwnerOnly.fileAttribute());
            try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                writer.write(content);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The UTC day of Zeek epoch seconds, or null when the text is not a number. */
    static String day(String ts)
    {
        try {
            long seconds = new BigDecimal(ts).longValue();
            return LocalDate.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC).toString();
        }
        catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static boolean sameFields(List<String> a, List<String> b)
    {
        return fields(a).equals(fields(b));
    }

    private static String fields(List<String> header)
    {
        return header.stream().filter(line -> line.startsWith("#fields") || line.startsWith("#types")).reduce("", (x, y) -> x + y + "\n");
    }

    private static BufferedReader open(Path file)
            throws IOException
    {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static String unescape(String text)
    {
        return text.equals("\\x09") ? "\t" : text.replace("\\x09", "\t");
    }

}
