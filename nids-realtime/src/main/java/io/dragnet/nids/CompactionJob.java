package io.dragnet.nids;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.StepArguments;
import io.dragnet.nids.stream.internal.VerdictCompaction;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The daily workflow's compaction step ({@code CompactVerdicts} in {@code daily-run.asl.json}), run by
 * {@code spark-submit --class io.dragnet.nids.CompactionJob <jar> --lake <lake location> --day <YYYY-MM-DD>}: merges
 * the stream's small files of the day the run is about to read ({@link VerdictCompaction}). It returns instead of
 * exiting, as the local executor runs steps in its own JVM.
 */
public final class CompactionJob
{
    private static final String USAGE = "CompactionJob --lake <lake location> --day <YYYY-MM-DD>";

    private CompactionJob() {}

    public static void main(String[] args)
    {
        String lake = StepArguments.value(args, "--lake", USAGE);
        String dayArgument = StepArguments.value(args, "--day", USAGE);
        LocalDate day;
        try {
            day = LocalDate.parse(dayArgument);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("CompactionJob --day: expected YYYY-MM-DD, found '" + dayArgument + "'");
        }
        SparkSession spark = SparkSession.builder().appName("dragnet-compaction").getOrCreate();
        String verdicts = (lake.endsWith("/") ? lake : lake + "/") + NidsPipeline.VERDICTS_SOURCE;
        VerdictCompaction.Result result = VerdictCompaction.compact(spark, verdicts, day);
        // one line in the step's stdout log, which EMR keeps
        System.out.println("dragnet compaction: " + Json.writeCompact(result));
    }
}
