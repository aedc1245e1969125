package io.dragnet.nids.data;

import io.dragnet.storage.RepositoryPaths;

import java.nio.file.Path;

/** The UNSW-NB15 files the NIDS trains and checks on: the full ones under the configured datasets, else the sample slices. */
public final class UnswDatasets
{
    public static final String TRAINING_CSV = "UNSW_NB15_training-set.csv";
    public static final String RAW_CSV = "UNSW-NB15_1_first3000.csv";

    private UnswDatasets() {}

    /** The partitioned UNSW-NB15 file (45 columns, header). */
    public static Path trainingCsv()
    {
        return RepositoryPaths.dataset("unsw-nb15/" + TRAINING_CSV, "unsw-nb15/" + TRAINING_CSV);
    }

    /** The raw 49-column slice. */
    public static Path rawCsv()
    {
        return RepositoryPaths.dataset("unsw-nb15-raw/" + RAW_CSV, "unsw-nb15/" + RAW_CSV);
    }
}
