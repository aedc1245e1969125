package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.nids.NidsPipeline;
import io.dragnet.nids.stream.LocalSpark;
import io.dragnet.nids.stream.internal.VerdictCompaction;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dragnet nids compact}: merges the small files the stream leaves in each day of the verdict lake
 * ({@link VerdictCompaction}); by default every day before today (UTC), which the stream no longer writes to.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Merge the stream's small Parquet files in the verdict lake, a day at a time (default: every day before today, UTC).")
public final class NidsCompactCommand
        implements Callable<Integer>
{
    @Option(names = "--day", description = "A day to compact (YYYY-MM-DD); repeat for several.")
    private List<LocalDate> days = new ArrayList<>();

    @Option(names = "--lake", description = "The verdict lake (default: <home>/lake/" + NidsPipeline.VERDICTS_SOURCE + ").")
    private Path lake;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    public NidsCompactCommand()
    {
        this(Clock.systemUTC());
    }

    /** @param clock tells which days are over: without --day, every day before today (UTC) is compacted */
    public NidsCompactCommand(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        String verdicts = (lake != null ? lake : DragnetHome.fromEnvironment().lake().resolve(NidsPipeline.VERDICTS_SOURCE)).toAbsolutePath().toUri().toString();
        SparkSession spark = LocalSpark.session();
        LocalDate today = LocalDate.now(clock);
        List<LocalDate> chosen = days.isEmpty() ? VerdictCompaction.days(spark, verdicts).stream().filter(day -> day.isBefore(today)).toList() : days;
        List<VerdictCompaction.Result> results = new ArrayList<>();
        out.printf("%-12s %8s %8s %12s%n", "day", "files", "after", "rows merged");
        for (LocalDate day : chosen) {
            VerdictCompaction.Result result = VerdictCompaction.compact(spark, verdicts, day);
            results.add(result);
            out.printf("%-12s %,8d %,8d %,12d%n", result.day(), result.filesBefore(), result.filesAfter(), result.rows());
        }
        if (chosen.isEmpty()) {
            out.println("no day before " + today + " under " + verdicts);
        }
        out.println(Json.writeCompact(results));
        return 0;
    }
}
