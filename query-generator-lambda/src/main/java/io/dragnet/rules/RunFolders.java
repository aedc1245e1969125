package io.dragnet.rules;

import io.dragnet.contracts.PublishedRuns;

/**
 * Where one run writes its results: {@code <results>[/sandbox]/<kind>/dt=<day>/run=<run>}, with one folder per source
 * below the kinds written per source, and the run's metrics under {@code <results>/runs/dt=<day>/run=<run>}. The one
 * place that spells out these folders, so the jobs of a run and the correlations that read another day's hits agree.
 */
public record RunFolders(String results, String date, String runId)
{
    public static final String DOCUMENTS = "documents";
    public static final String AGGREGATES = "aggregates";
    public static final String CORRELATIONS = "correlations";
    public static final String SUMMARIES = "summaries";
    public static final String REJECTS = "rejects";
    private static final String SANDBOX = "sandbox";
    private static final String RUNS = "runs";

    /** The folder of one kind of result, in the sandbox or published. */
    public String folder(String kind, boolean sandbox)
    {
        String base = sandbox ? Locations.join(results, SANDBOX) : results;
        return Locations.join(base, kind, "dt=" + date, PublishedRuns.runFolder(runId));
    }

    /** The folder of one source's results of one kind. */
    public String sourceFolder(String kind, boolean sandbox, String source)
    {
        return Locations.join(folder(kind, sandbox), source);
    }

    /** A metrics file of the run. */
    public String metrics(String fileName)
    {
        return Locations.join(results, RUNS, "dt=" + date, PublishedRuns.runFolder(runId), fileName);
    }
}
