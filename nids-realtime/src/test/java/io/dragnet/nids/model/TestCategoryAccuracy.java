package io.dragnet.nids.model;

import io.dragnet.nids.data.UnswRow;
import io.dragnet.nids.features.ConnectionFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestCategoryAccuracy
{
    @Test
    void countsTheHeldOutAttacksWhoseCategoryTheForestNames()
    {
        // the stump's category forest: sbytes <= 100 → DoS, else Exploits
        NidsModel model = StumpModel.of("v1");
        List<UnswRow> rows = List.of(
                attack(1, 50, "DoS"),
                attack(2, 500, "DoS"),
                attack(3, 500, "Exploits"),
                new UnswRow(StumpModel.session("n", 0.5, 50), features(), 0, UnswRow.NORMAL, 0, 4));

        ModelTrainer.CategoryAccuracy accuracy = ModelTrainer.categoryAccuracy(model.features(), model.category(), model.categories(), rows);

        assertThat(accuracy.attacks()).isEqualTo(3);
        assertThat(accuracy.named()).isEqualTo(2);
        assertThat(accuracy.accuracy()).isEqualTo(2.0 / 3);
        assertThat(accuracy.describe()).isEqualTo("category forest: names 2 of the 3 held-out attacks' categories as the dataset does (0.6667)%n".formatted());
        assertThat(new ModelTrainer.CategoryAccuracy(0, 0).accuracy()).isZero();
    }

    private static UnswRow attack(int line, double sbytes, String category)
    {
        return new UnswRow(StumpModel.session("a" + line, 2.0, sbytes), features(), 0, category, 1, line);
    }

    private static ConnectionFeatures features()
    {
        return new ConnectionFeatures(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
    }
}
