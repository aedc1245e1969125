package io.dragnet.sparkjobs.internal;

import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("integration")
class TestExpansion
{
    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void eachRowOncePerBranchWithThatBranchsValues()
    {
        Dataset<Row> rows = SPARK.session().range(3).toDF("n");
        Dataset<Row> expanded = Expansion.of(rows, List.of(
                List.of(lit("even").as("branch"), col("n").multiply(2).as("value"), struct(col("n").as("n")).as("row")),
                List.of(lit("odd").as("branch"), when(col("n").gt(0), col("n").multiply(2).plus(1)).as("value"),
                        lit(null).cast("struct<n:bigint>").as("row"))));

        assertThat(expanded.columns()).containsExactly("branch", "value", "row");
        assertThat(expanded.schema().apply("value").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(expanded.orderBy("branch", "value").collectAsList()).extracting(Row::toString).containsExactly(
                "[even,0,[0]]", "[even,2,[1]]", "[even,4,[2]]", "[odd,null,null]", "[odd,3,null]", "[odd,5,null]");
        assertThat(expanded.where(col("branch").equalTo("odd")).count()).isEqualTo(3);
    }

    @Test
    void branchesMustNameTheSameColumnsOfTheSameTypes()
    {
        Dataset<Row> rows = SPARK.session().range(1).toDF("n");

        assertThatThrownBy(() -> Expansion.of(rows, List.of(List.of(col("n").as("a")), List.of(col("n").cast("string").as("a")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("branch column a string does not match a bigint");
        assertThatThrownBy(() -> Expansion.of(rows, List.of(List.of(col("n").as("a")), List.of(col("n").as("b")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("branch column b bigint does not match a bigint");
        assertThatThrownBy(() -> Expansion.of(rows, List.of(List.of(col("n").as("a")), List.of(col("n").as("a"), col("n").as("b")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a branch of 2 columns among branches of 1");
    }
}
