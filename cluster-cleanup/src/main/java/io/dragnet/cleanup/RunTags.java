package io.dragnet.cleanup;

/**
 * The tags the daily run's CreateCluster puts on its EMR cluster. {@link #EXECUTION} (the Step Functions execution
 * ARN) is what finds and cleans up a run's clusters: every execution-status event carries it, whatever the input.
 */
public final class RunTags
{
    public static final String EXECUTION = "dragnet:execution";
    public static final String RUN_ID = "dragnet:run-id";
    public static final String DATE = "dragnet:date";

    private RunTags() {}
}
