package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.RunMetrics;
import io.dragnet.cost.internal.FleetEstimate;
import io.dragnet.cost.internal.FleetEstimate.EstimatedCluster;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cost of one cluster from what EMR reports (or, in the embedded default, the fleet the definition requested) and a
 * {@link PriceTable}. Pure: no clock, no IO.
 *
 * <p>Billing model, as AWS bills Linux instances and EMR: per second, with a one-minute minimum per instance, from launch
 * to end. EC2 on-demand at the listed rate; EC2 spot at the spot price in effect, integrated over the price changes
 * during the instance's life. A spot instance that EC2 interrupts within its first hour costs no EC2 charge (EC2's
 * rule for Linux spot instances, which EMR's are); one interrupted later is billed for the seconds it ran, and one
 * that the cluster itself ends is billed in full. EMR uplift per instance at the EMR rate of its type whatever its
 * market and however it ended; EBS per GB-month of each volume's own type (attached volumes as the fleet requested
 * them, the root volume gp3 from EMR 6.15.0 on and gp2 before), prorated per second, a month being 730 hours.
 */
public final class CostCalculator
{
    static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    static final BigDecimal SECONDS_PER_MONTH = BigDecimal.valueOf(730L * 3600);
    static final long MINIMUM_BILLED_SECONDS = 60;
    /** EC2 charges nothing for a spot instance it interrupts within this time of launch. */
    static final Duration FREE_INTERRUPTION_WINDOW = Duration.ofHours(1);
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    private CostCalculator() {}

    /**
     * @param cluster what is known of the cluster; without instances, the requested fleet is estimated (see {@link FleetEstimate})
     * @param availabilityZone zone of the cluster's instances for spot prices, or null (highest price across zones)
     * @param metrics run metrics of the cluster's steps, for the records processed
     * @param recordedAt now; used as the end of every instance when the cluster is still running
     */
    public static ClusterCost compute(ClusterRecord cluster, PriceTable prices, String availabilityZone, List<RunMetrics> metrics, Instant recordedAt)
    {
        Instant createdAt = instant(cluster.createdAt(), "createdAt", cluster);
        Instant terminatedAt = instant(cluster.terminatedAt(), "terminatedAt", cluster);
        boolean stillRunning = terminatedAt == null;
        Instant clusterEnd = stillRunning ? recordedAt : terminatedAt;

        List<ClusterRecord.Instance> instances = cluster.instances();
        boolean estimate = cluster.estimate() || instances.isEmpty();
        EstimatedCluster requested = FleetEstimate.read(cluster.requested());
        if (instances.isEmpty()) {
            if (createdAt == null) {
                throw DragnetException.user("cluster " + cluster.clusterId() + ": createdAt is missing, cannot estimate the fleet's lifetime");
            }
            instances = requested.instances(prices, createdAt, stillRunning ? null : terminatedAt);
        }

        Map<String, Accumulator> byMarketAndType = new TreeMap<>();
        BigDecimal ec2 = BigDecimal.ZERO;
        BigDecimal ec2OnDemand = BigDecimal.ZERO;
        BigDecimal emr = BigDecimal.ZERO;
        BigDecimal ebs = BigDecimal.ZERO;
        int interruptions = 0;
        for (ClusterRecord.Instance instance : instances) {
            Instant launched = orElse(instant(instance.launchedAt(), "instances.launchedAt", cluster), createdAt);
            Instant ended = orElse(instant(instance.endedAt(), "instances.endedAt", cluster), clusterEnd);
            if (launched == null || ended == null) {
                throw DragnetException.user("cluster " + cluster.clusterId() + ": instance " + instance.instanceId() + " has no launch or end time");
            }
            long billedSeconds = billedSeconds(launched, ended);
            boolean spot = isSpot(instance.market(), cluster);
            BigDecimal onDemandCost = hourly(prices.onDemand(instance.instanceType()), billedSeconds);
            boolean interrupted = spot && isSpotInterruption(instance.endReason());
            BigDecimal ec2Cost = !spot ? onDemandCost
                    : interrupted && Duration.between(launched, ended).compareTo(FREE_INTERRUPTION_WINDOW) < 0 ? BigDecimal.ZERO
                    : spotCost(prices, instance.instanceType(), availabilityZone, launched, ended, billedSeconds);
            ec2 = ec2.add(ec2Cost);
            ec2OnDemand = ec2OnDemand.add(onDemandCost);
            emr = emr.add(hourly(prices.emr(instance.instanceType()), billedSeconds));
            for (Map.Entry<String, Integer> volume : requested.volumes(instance.fleetType(), instance.instanceType()).entrySet()) {
                ebs = ebs.add(prices.ebsGbMonth(volume.getKey()).multiply(BigDecimal.valueOf((long) volume.getValue() * billedSeconds))
                        .divide(SECONDS_PER_MONTH, PRECISION));
            }
            if (interrupted) {
                interruptions++;
            }
            byMarketAndType.computeIfAbsent((spot ? "SPOT" : "ON_DEMAND") + " " + instance.instanceType(),
                    key -> new Accumulator(key.substring(0, key.indexOf(' ')), instance.instanceType()))
                    .add(billedSeconds, ec2Cost);
        }

        BigDecimal ec2Cents = cents(ec2);
        BigDecimal emrCents = cents(emr);
        BigDecimal ebsCents = cents(ebs);
        BigDecimal total = ec2Cents.add(emrCents).add(ebsCents);
        BigDecimal onDemandTotal = cents(ec2OnDemand).add(emrCents).add(ebsCents);
        BigDecimal savingsPercent = onDemandTotal.signum() == 0
                ? BigDecimal.ZERO.setScale(1)
                : onDemandTotal.subtract(total).multiply(BigDecimal.valueOf(100)).divide(onDemandTotal, 1, RoundingMode.HALF_UP);

        long records = metrics.stream().mapToLong(RunMetrics::recordsRead).sum();
        BigDecimal perMillion = records == 0 ? null : total.multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(records), 4, RoundingMode.HALF_UP);

        return new ClusterCost(
                cluster.clusterId(),
                estimate,
                stillRunning,
                createdAt,
                clusterEnd,
                fleetSummary(instances, cluster),
                byMarketAndType.values().stream().map(Accumulator::usage).toList(),
                ec2Cents,
                emrCents,
                ebsCents,
                total,
                onDemandTotal,
                savingsPercent,
                interruptions,
                records,
                perMillion,
                steps(cluster));
    }

    /** Per-second billing with a one-minute minimum; a started second is a billed second. */
    static long billedSeconds(Instant launched, Instant ended)
    {
        long millis = Math.max(0, Duration.between(launched, ended).toMillis());
        long seconds = (millis + 999) / 1000;
        return Math.max(MINIMUM_BILLED_SECONDS, seconds);
    }

    static boolean isSpotInterruption(String endReason)
    {
        return endReason != null && endReason.toUpperCase(Locale.ROOT).contains("SPOT");
    }

    private static BigDecimal spotCost(PriceTable prices, String instanceType, String availabilityZone, Instant launched, Instant ended, long billedSeconds)
    {
        // The minimum extends the instance's last price segment; price changes after the real end do not apply.
        List<Instant> boundaries = new ArrayList<>();
        boundaries.add(launched);
        boundaries.addAll(prices.spotChanges(instanceType, availabilityZone, launched, ended));
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal remainingMillis = BigDecimal.valueOf(billedSeconds * 1000);
        for (int i = 0; i < boundaries.size(); i++) {
            Instant from = boundaries.get(i);
            BigDecimal millis = i + 1 < boundaries.size()
                    ? BigDecimal.valueOf(Duration.between(from, boundaries.get(i + 1)).toMillis())
                    : remainingMillis;
            remainingMillis = remainingMillis.subtract(millis);
            BigDecimal hourly = prices.spotAt(instanceType, availabilityZone, from);
            cost = cost.add(hourly.multiply(millis).divide(SECONDS_PER_HOUR.multiply(BigDecimal.valueOf(1000)), PRECISION));
        }
        return cost;
    }

    private static BigDecimal hourly(BigDecimal hourlyPrice, long seconds)
    {
        return hourlyPrice.multiply(BigDecimal.valueOf(seconds)).divide(SECONDS_PER_HOUR, PRECISION);
    }

    static BigDecimal cents(BigDecimal amount)
    {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static boolean isSpot(String market, ClusterRecord cluster)
    {
        if (market == null) {
            throw DragnetException.user("cluster " + cluster.clusterId() + ": an instance has no market (expected ON_DEMAND or SPOT)");
        }
        return switch (market.toUpperCase(Locale.ROOT)) {
            case "SPOT" -> true;
            case "ON_DEMAND", "ONDEMAND" -> false;
            default -> throw DragnetException.user("cluster " + cluster.clusterId() + ": market '" + market + "' (expected ON_DEMAND or SPOT)");
        };
    }

    private static String fleetKey(String fleetType)
    {
        return fleetType == null ? "" : fleetType.toUpperCase(Locale.ROOT);
    }

    /** E.g. "MASTER 1×m5.xlarge on-demand; CORE 2×m5.xlarge spot + 1×m5a.xlarge spot". */
    private static String fleetSummary(List<ClusterRecord.Instance> instances, ClusterRecord cluster)
    {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (String fleetType : List.of("MASTER", "CORE", "TASK")) {
            counts.put(fleetType, new TreeMap<>());
        }
        for (ClusterRecord.Instance instance : instances) {
            String market = isSpot(instance.market(), cluster) ? "spot" : "on-demand";
            counts.computeIfAbsent(fleetKey(instance.fleetType()), key -> new TreeMap<>())
                    .merge(instance.instanceType() + " " + market, 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .filter(fleet -> !fleet.getValue().isEmpty())
                .map(fleet -> fleet.getKey() + " " + fleet.getValue().entrySet().stream()
                        .map(type -> type.getValue() + "×" + type.getKey())
                        .collect(Collectors.joining(" + ")))
                .collect(Collectors.joining("; "));
    }

    private static List<ClusterCost.StepDuration> steps(ClusterRecord cluster)
    {
        List<ClusterCost.StepDuration> steps = new ArrayList<>();
        for (ClusterRecord.Step step : cluster.steps()) {
            Instant started = instant(step.startedAt(), "steps.startedAt", cluster);
            Instant ended = instant(step.endedAt(), "steps.endedAt", cluster);
            Long seconds = started == null || ended == null ? null : Math.max(0, Duration.between(started, ended).getSeconds());
            steps.add(new ClusterCost.StepDuration(step.name() == null ? step.stepId() : step.name(), step.state(), seconds));
        }
        return steps;
    }

    private static Instant instant(String value, String field, ClusterRecord cluster)
    {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException e) {
            throw DragnetException.user("cluster " + cluster.clusterId() + ": " + field + " '" + value + "' is not an ISO-8601 instant (e.g. 2018-11-02T03:00:00Z)");
        }
    }

    private static Instant orElse(Instant value, Instant fallback)
    {
        return value == null ? fallback : value;
    }

    private static final class Accumulator
    {
        private final String market;
        private final String instanceType;
        private int instances;
        private long billedSeconds;
        private BigDecimal ec2Cost = BigDecimal.ZERO;

        Accumulator(String market, String instanceType)
        {
            this.market = market;
            this.instanceType = instanceType;
        }

        void add(long seconds, BigDecimal cost)
        {
            instances++;
            billedSeconds += seconds;
            ec2Cost = ec2Cost.add(cost);
        }

        ClusterCost.InstanceUsage usage()
        {
            return new ClusterCost.InstanceUsage(market, instanceType, instances, billedSeconds, cents(ec2Cost));
        }
    }
}
