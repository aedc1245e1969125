package io.dragnet.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.Json;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EMR line of infra-sam/README.md's "what it costs per day" is the cost ledger's own price for the fleet the daily
 * workflow requests: this test prices the CreateCluster parameters of statemachine/daily-run.asl.json with
 * {@link CostCalculator} over samples/prices for the run length the line states, and fails with the line to write
 * whenever the definition, the prices or the README change apart.
 */
class TestReadmeDailyCost
{
    private static final Path ROOT = RepositoryPaths.root();
    private static final Pattern EMR_LINE = Pattern.compile("\\| EMR cluster, one run of (\\d+) minutes[^\\n]*");
    private static final Pattern RELEASE_DEFAULT = Pattern.compile("\\| EmrReleaseLabel \\| (emr-[0-9.]+) \\|");
    /** The schedule's first run for the sample day 2018-11-02: 02:30 UTC the day after (the template's default cron). */
    private static final Instant SCHEDULED = Instant.parse("2018-11-03T02:30:00Z");

    @Test
    void theEmrLineIsWhatTheLedgerChargesForTheRequestedFleet()
            throws IOException
    {
        String readme = Files.readString(ROOT.resolve("infra-sam/README.md"));
        Matcher line = EMR_LINE.matcher(readme);
        assertThat(line.find()).as("infra-sam/README.md has the EMR line of the daily cost table").isTrue();
        Matcher release = RELEASE_DEFAULT.matcher(readme);
        assertThat(release.find()).as("infra-sam/README.md names the default EmrReleaseLabel").isTrue();
        int minutes = Integer.parseInt(line.group(1));

        ClusterCost cost = CostCalculator.compute(requestedCluster(release.group(1), minutes), PriceTableFiles.load(ROOT.resolve("samples/prices")), null,
                List.of(), SCHEDULED.plus(Duration.ofMinutes(minutes)));

        assertThat(line.group()).as("the EMR line, priced by the cost ledger").isEqualTo(expectedLine(minutes, cost));
    }

    private static ClusterRecord requestedCluster(String releaseLabel, int minutes)
            throws IOException
    {
        String definition = Files.readString(ROOT.resolve("statemachine/daily-run.asl.json")).replace("${EmrReleaseLabel}", releaseLabel);
        JsonNode parameters = Json.mapper().readTree(definition).path("States").path("CreateCluster").path("Parameters");
        @SuppressWarnings("unchecked")
        Map<String, Object> requested = Json.mapper().convertValue(parameters, Map.class);
        return new ClusterRecord("readme-estimate", "readme", "2018-11-02", "TERMINATED", SCHEDULED.toString(), null,
                SCHEDULED.plus(Duration.ofMinutes(minutes)).toString(), requested, List.of(), List.of(), true);
    }

    static String expectedLine(int minutes, ClusterCost cost)
    {
        String fleet = cost.usage().stream()
                .map(usage -> usage.instances() + " × " + usage.instanceType() + " " + usage.market().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "| EMR cluster, one run of %d minutes at the sample sizes, as `dragnet cost` prices the fleet "
                        + "`daily-run.asl.json` requests with `samples/prices` (%s; EC2 %s + EMR %s + EBS %s) | ≈ %s |",
                minutes, fleet, dollars(cost.ec2Cost()), dollars(cost.emrCost()), dollars(cost.ebsCost()), dollars(cost.totalCost()));
    }

    private static String dollars(BigDecimal amount)
    {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
