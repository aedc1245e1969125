package io.dragnet.nids.cli;

import io.dragnet.nids.data.UnswDatasets;
import io.dragnet.nids.model.FeatureSet;
import io.dragnet.nids.model.ModelTrainer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/** Options shared by train and evaluate. */
public final class TrainingOptions
{
    @Option(names = "--data", description = "UNSW-NB15 CSV, partitioned (45 columns, header) or raw (49 columns). Default: unsw-nb15/ under $DRAGNET_DATASETS when set, else samples/unsw-nb15.")
    private Path data;

    @Option(names = "--trees", defaultValue = "30", description = "Trees in the forest (default ${DEFAULT-VALUE}).")
    private int trees;

    @Option(names = "--max-depth", defaultValue = "16", description = "Maximum tree depth (default ${DEFAULT-VALUE}).")
    private int maxDepth;

    @Option(names = "--category-trees", defaultValue = "15", description = "Trees in the forest naming an attack's category (default ${DEFAULT-VALUE}).")
    private int categoryTrees;

    @Option(names = "--category-max-depth", defaultValue = "12", description = "Maximum depth of the category forest's trees (default ${DEFAULT-VALUE}).")
    private int categoryMaxDepth;

    @Option(names = "--features", defaultValue = "reproducible", converter = FeatureSetConverter.class,
            description = "Feature set: reproducible (the 36 features the stream computes as the dataset does) or all (the 42 of the file; "
                    + "six window counts then differ between the holdout and the stream) (default ${DEFAULT-VALUE}).")
    private FeatureSet featureSet;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the forest (default ${DEFAULT-VALUE}).")
    private long seed;

    public Path data()
    {
        return data != null ? data : UnswDatasets.trainingCsv();
    }

    public ModelTrainer.Parameters parameters()
    {
        ModelTrainer.Parameters defaults = ModelTrainer.Parameters.defaults();
        return new ModelTrainer.Parameters(featureSet, trees, maxDepth, categoryTrees, categoryMaxDepth, defaults.holdoutFraction(), seed);
    }

    static final class FeatureSetConverter
            implements ITypeConverter<FeatureSet>
    {
        @Override
        public FeatureSet convert(String value)
        {
            return FeatureSet.withLabel(value).orElseThrow(() -> new TypeConversionException(FeatureSet.unknownLabel(value)));
        }
    }
}
