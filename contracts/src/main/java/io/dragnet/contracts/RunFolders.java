package io.dragnet.contracts;

import java.util.List;

/**
 * Where one run writes its results: {@code <results>[/sandbox]/<kind>/dt=<day>/run=<run>}, with one folder per source
 * below the kinds written per source, and the run's metrics under {@code <results>/runs/dt=<day>/run=<run>}; its compiled
 * job specs lie in the same layout under the work location ({@code <work>/jobs/dt=<day>/run=<run>}). The one place that
 * spells out these folders, so the jobs that write a run's files, the readers of earlier days (history, correlations,
 * Publish's sweep), the cost recorder and the commands that report a run agree.
 *
 * @param results the results location, a URI or a local path
 */
public record RunFolders(String results, String date, String runId)
{
    public static final String DOCUMENTS = "documents";
    public static final String AGGREGATES = "aggregates";
    public static final String CORRELATIONS = "correlations";
    public static final String SUMMARIES = "summaries";
    public static final String REJECTS = "rejects";
    /** The kind holding each run's metrics files. */
    public static final String RUNS = "runs";
    /** The kind holding each run's compiled job specs and IoC tables, under the work location rather than the results. */
    public static final String JOBS = "jobs";
    /** The kinds whose run folders readers take from the published runs only ({@link PublishedRuns}); Publish sweeps the others' debris. */
    public static final List<String> PUBLISHED_KINDS = List.of(DOCUMENTS, AGGREGATES, CORRELATIONS, REJECTS);
    private static final String SANDBOX = "sandbox";
    private static final String DAY_PREFIX = "dt=";
    private static final String RUN_PREFIX = "run=";

    /** The folder of one kind of result, in the sandbox or published. */
    public String folder(String kind, boolean sandbox)
    {
        return join(sandbox ? join(results, SANDBOX) : results, relative(kind, date, runId));
    }

    /** The folder of one source's results of one kind. */
    public String sourceFolder(String kind, boolean sandbox, String source)
    {
        return join(folder(kind, sandbox), source);
    }

    /** A metrics file of the run. */
    public String metrics(String fileName)
    {
        return join(folder(RUNS, false), fileName);
    }

    /** {@code <kind>/dt=<day>/run=<run>}: a run's folder of one kind, relative to the results. */
    public static String relative(String kind, String date, String runId)
    {
        return kind + "/" + dayFolder(date) + "/" + runFolder(runId);
    }

    /** The folder of one day inside a kind's folder: {@code dt=<day>}. */
    public static String dayFolder(String date)
    {
        return DAY_PREFIX + date;
    }

    /** The day of a {@link #dayFolder} name, or null for any other name. */
    public static String dateOf(String folderName)
    {
        return folderName.startsWith(DAY_PREFIX) && folderName.length() > DAY_PREFIX.length() ? folderName.substring(DAY_PREFIX.length()) : null;
    }

    /** The folder of one run inside a day's folder: {@code run=<run id>}. */
    public static String runFolder(String runId)
    {
        return RUN_PREFIX + runId;
    }

    /** The run id of a {@link #runFolder} name, or null for any other name. */
    public static String runIdOf(String folderName)
    {
        return folderName.startsWith(RUN_PREFIX) && folderName.length() > RUN_PREFIX.length() ? folderName.substring(RUN_PREFIX.length()) : null;
    }

    static String join(String base, String child)
    {
        String trimmed = base;
        while (trimmed.endsWith("/") && !trimmed.endsWith("://")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed + "/" + child;
    }
}
