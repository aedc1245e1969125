package io.dragnet.nids.cli;

import io.dragnet.nids.model.FeatureSet;
import io.dragnet.nids.model.ModelTrainer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class TestTrainingOptions
{
    @Test
    void theCommandLineDefaultsAreTheTrainersDefaults()
    {
        TrainingOptions options = CommandLine.populateCommand(new TrainingOptions());
        assertThat(options.parameters()).isEqualTo(ModelTrainer.Parameters.defaults());
    }

    @Test
    void sizesBothForestsFromTheCommandLine()
    {
        TrainingOptions options = CommandLine.populateCommand(new TrainingOptions(),
                "--trees", "7", "--max-depth", "5", "--category-trees", "3", "--category-max-depth", "4", "--features", "all", "--seed", "9");
        assertThat(options.parameters()).isEqualTo(new ModelTrainer.Parameters(FeatureSet.ALL, 7, 5, 3, 4, ModelTrainer.Parameters.defaults().holdoutFraction(), 9));
    }
}
