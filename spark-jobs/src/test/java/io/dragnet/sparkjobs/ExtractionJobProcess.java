package io.dragnet.sparkjobs;

import io.dragnet.testing.SparkFixture;

/**
 * The EMR step in a JVM of its own, for tests that kill it: builds the local test SparkSession (which
 * {@link ExtractionJob#main} then reuses through getOrCreate) and runs the step with the given arguments.
 */
final class ExtractionJobProcess
{
    private ExtractionJobProcess() {}

    public static void main(String[] args)
    {
        SparkFixture.start();
        ExtractionJob.main(args);
    }
}
