package io.dragnet.sparkjobs;

/** Told when a stage of an extraction job has finished; tests use it to fail a job at a chosen point. */
@FunctionalInterface
public interface StageListener
{
    StageListener NONE = stage -> { };

    void completed(String stage);
}
