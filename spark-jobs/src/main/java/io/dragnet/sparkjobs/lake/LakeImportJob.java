package io.dragnet.sparkjobs.lake;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.ImportSpec;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.StepArguments;
import io.dragnet.sparkjobs.internal.Storage;
import io.dragnet.storage.FileTrees;
import io.dragnet.storage.OwnerOnly;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The daily run's import step: one day's raw Zeek logs ({@link ImportSpec}: every file under
 * {@code <rawLocation>/<date>/}, any storage Hadoop reads, S3 on EMR) into the lake's typed Parquet (zstd) day
 * partitions, with the code of {@code dragnet lake import} ({@link ZeekLakeImporter}). Each raw file is one Spark task:
 * it is copied to the task's local disk, imported there, and each of its parts is put into the lake whole (one object
 * per part on S3; a hidden temporary renamed into place on a file system). Parts are named after the file's path under
 * the raw location (day folder included), so a re-run replaces what each file contributed and never duplicates it;
 * records go to the partition of their own UTC day, also when that is not the folder's day.
 *
 * <p>Prints the summary {@code dragnet lake import} prints. Lines that do not parse are reported and left out; a raw
 * file that cannot be read to its end writes nothing and fails the step (naming the file), so a run never reads a day
 * that silently lacks a file.
 *
 * <p>EMR step: {@code spark-submit --class io.dragnet.sparkjobs.lake.LakeImportJob <jar> --spec <uri of an import spec>}.
 */
public final class LakeImportJob
{
    private LakeImportJob() {}

    public static void main(String[] args)
    {
        String specLocation = StepArguments.value(args, "--spec", "LakeImportJob --spec <uri of an import spec JSON>");
        SparkSession spark = SparkSession.builder().appName("dragnet-lake-import").getOrCreate();
        ImportSpec spec = readSpec(new Storage(spark.sparkContext().hadoopConfiguration()), specLocation);
        ImportSummary summary = run(spark, spec);
        PrintWriter out = new PrintWriter(System.out, true);
        print(out, summary, spec);
        if (!summary.failedFiles().isEmpty()) {
            throw DragnetException.user(summary.failedFiles().size() + " raw files of " + spec.dayLocation() + " could not be imported, the first: "
                    + summary.failedFiles().get(0) + "; fix or remove them and run the day again");
        }
    }

    static ImportSpec readSpec(Storage storage, String location)
    {
        byte[] content = storage.readIfPresent(location)
                .orElseThrow(() -> DragnetException.user("cannot read import spec " + location + ": it does not exist"));
        try {
            return Json.mapper().readValue(content, ImportSpec.class);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read import spec " + location + ": not an import spec (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Imports the spec's day; an empty summary when the day folder holds no file. */
    public static ImportSummary run(SparkSession spark, ImportSpec spec)
    {
        Configuration configuration = spark.sparkContext().hadoopConfiguration();
        List<String> files = rawFiles(new Storage(configuration), spec.dayLocation());
        if (files.isEmpty()) {
            return ImportSummary.merge(List.of());
        }
        Map<String, String> settings = new HashMap<>();
        configuration.forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
        List<String> summaries = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(files, files.size())
                .map(new ImportFile(Json.write(spec), settings))
                .collect();
        List<ImportSummary> parts = new ArrayList<>();
        for (String summary : summaries) {
            try {
                parts.add(Json.mapper().readValue(summary, ImportSummary.class));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ImportSummary.merge(parts);
    }

    /** Every file under the day folder, as its path relative to the folder, sorted. */
    private static List<String> rawFiles(Storage storage, String dayLocation)
    {
        org.apache.hadoop.fs.Path day = Storage.path(dayLocation);
        FileSystem fs = storage.fileSystem(day);
        List<String> files = new ArrayList<>();
        try {
            if (!fs.exists(day)) {
                return files;
            }
            String prefix = fs.makeQualified(day).toUri().getPath();
            prefix = prefix.endsWith("/") ? prefix : prefix + "/";
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(day, true);
            while (listing.hasNext()) {
                String path = listing.next().getPath().toUri().getPath();
                if (path.startsWith(prefix)) {
                    files.add(path.substring(prefix.length()));
                }
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list the raw logs of " + dayLocation, e);
        }
        files.sort(null);
        return files;
    }

    /**
     * One raw file: copied to local disk, imported there, its parts put into the lake; returns the summary as JSON.
     * The spec travels as JSON and the Hadoop settings as a map: neither type is serializable.
     */
    private record ImportFile(String specJson, Map<String, String> settings)
            implements Function<String, String>
    {
        @Override
        public String call(String relative)
                throws IOException
        {
            ImportSpec spec = Json.mapper().readValue(specJson, ImportSpec.class);
            Configuration configuration = new Configuration(false);
            settings.forEach(configuration::set);
            Storage storage = new Storage(configuration);
            Path work = Files.createTempDirectory("dragnet-import");
            try {
                Path rawRoot = work.resolve("raw");
                Path local = rawRoot.resolve(spec.date()).resolve(relative);
                OwnerOnly.createDirectories(local.getParent());
                org.apache.hadoop.fs.Path remote = Storage.path(spec.dayLocation() + relative);
                FileSystem fs = storage.fileSystem(remote);
                // a checksummed (local) file system derives a ".<name>.crc" path, which Hadoop cannot build for names with
                // colons, as Zeek's rotated logs have (conn.00:00:00-01:00:00.log.gz)
                fs = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
                try (InputStream in = fs.open(remote)) {
                    Files.copy(in, local);
                }
                Path lake = work.resolve("lake");
                ImportSummary summary = new ZeekLakeImporter(spec.sources()).importLogs(rawRoot, lake, ZeekLakeImporter.Selection.ALL);
                if (summary.failedFiles().isEmpty()) {
                    putParts(storage, lake, spec.lakeLocation());
                }
                String raw = spec.rawLocation().endsWith("/") ? spec.rawLocation() : spec.rawLocation() + "/";
                return Json.write(summary).replace(rawRoot + "/", raw);
            }
            finally {
                FileTrees.deleteRecursively(work);
            }
        }

        private static void putParts(Storage storage, Path lake, String lakeRoot)
                throws IOException
        {
            if (!Files.isDirectory(lake)) {
                return;
            }
            List<Path> parts;
            try (Stream<Path> walk = Files.walk(lake)) {
                parts = walk.filter(path -> path.getFileName().toString().endsWith(".parquet")).toList();
            }
            String lakeLocation = lakeRoot.endsWith("/") ? lakeRoot : lakeRoot + "/";
            for (Path part : parts) {
                String target = lakeLocation + lake.relativize(part).toString().replace('\\', '/');
                org.apache.hadoop.fs.Path to = Storage.path(target);
                if (Storage.isObjectStore(target)) {
                    storage.fileSystem(to).copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(part.toUri()), to);
                }
                else {
                    Path file = Path.of(to.toUri());
                    OwnerOnly.createDirectories(file.getParent());
                    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
                    Files.copy(part, temporary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    private static void print(PrintWriter out, ImportSummary summary, ImportSpec spec)
    {
        summary.partitions().forEach(partition -> out.printf(Locale.ROOT, "%s dt=%s: %,d records from %d files%n",
                partition.source(), partition.day(), partition.records(), partition.files()));
        out.printf(Locale.ROOT, "imported %,d records of %s into %d day partitions of %s%n", summary.records(), spec.dayLocation(), summary.partitions().size(),
                spec.lakeLocation());
        summary.skippedFiles().forEach(file -> out.println("skipped " + file));
        if (summary.rejected() > 0) {
            out.printf(Locale.ROOT, "%,d lines not imported%s:%n", summary.rejected(),
                    summary.rejected() > summary.rejectedLines().size() ? " (the first " + summary.rejectedLines().size() + " shown)" : "");
            summary.rejectedLines().forEach(line -> out.println("  " + line));
        }
        summary.failedFiles().forEach(file -> out.println("not imported: " + file));
        summary.declared().forEach(declared -> out.println(declared.name() + " is imported but no sources.yaml declares it (schema from " + declared.origin() + ")"));
    }
}
