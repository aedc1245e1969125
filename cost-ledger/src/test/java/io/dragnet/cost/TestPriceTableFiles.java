package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPriceTableFiles
{
    static Path samplePrices()
    {
        return io.dragnet.storage.RepositoryPaths.samples().resolve("prices");
    }

    @Test
    void readsTheSampleBulkPriceListsAndSpotHistory()
    {
        PriceTable table = PriceTableFiles.load(samplePrices());

        assertThat(table.region()).isEqualTo("us-east-1");
        // the Windows (0.376), Dedicated (0.212) and reserved (0.121) rows are skipped
        assertThat(table.onDemand("m5.xlarge")).isEqualByComparingTo("0.192");
        assertThat(table.onDemand("c5.2xlarge")).isEqualByComparingTo("0.34");
        assertThat(table.emr("r5.xlarge")).isEqualByComparingTo("0.063");
        assertThat(table.ebsGbMonth("gp2")).isEqualByComparingTo("0.10");
        assertThat(table.ebsGbMonth("gp3")).isEqualByComparingTo("0.08");
        assertThat(table.onDemandHourly()).hasSize(14);
        assertThat(table.emrHourly()).hasSize(14);
        assertThat(table.spotHistory()).hasSize(31);
        assertThat(table.spotAt("m5.xlarge", "us-east-1a", Instant.parse("2018-11-02T03:00:00Z"))).isEqualByComparingTo("0.072");
        assertThat(table.spotAt("m5.xlarge", "us-east-1a", Instant.parse("2018-11-02T04:00:00Z"))).isEqualByComparingTo("0.081");
        assertThat(table.spotAt("m5.xlarge", null, Instant.parse("2018-11-02T07:00:00Z"))).isEqualByComparingTo("0.075");
        assertThat(table.source()).contains("us-east-1").contains("published 2024-06-01");
    }

    @Test
    void aFileWithoutTheBulkHeaderIsAUserErrorNamingTheFile(@TempDir Path directory)
            throws IOException
    {
        Files.writeString(directory.resolve("AmazonEC2-eu-west-1.csv"), "instance,price\nm5.xlarge,0.2\n");

        assertThatThrownBy(() -> PriceTableFiles.load(directory))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("AmazonEC2-eu-west-1.csv")
                .hasMessageContaining("SKU");
    }
}
