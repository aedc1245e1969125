package io.dragnet.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one EMR cluster cost, in USD rounded to the cent (half-up), component by component; the total is the sum of
 * the rounded components so a ledger row always adds up.
 *
 * @param estimate true when the instances were derived from the requested fleet (embedded default), not read from EMR
 * @param stillRunning true when the cluster had not terminated when the cost was recorded: figures stop at {@code endedAt}
 * @param endedAt termination time, or the recording time when still running
 * @param onDemandCost the same instance-seconds with every instance at the on-demand rate (EMR and EBS unchanged)
 * @param savingsPercent (onDemandCost - totalCost) / onDemandCost × 100, one decimal; zero when onDemandCost is zero
 * @param recordsProcessed records read by the extraction jobs, from their run metrics
 * @param costPerMillionRecords totalCost per million records read, 4 decimals; null when no record was read
 */
public record ClusterCost(
        String clusterId,
        boolean estimate,
        boolean stillRunning,
        Instant createdAt,
        Instant endedAt,
        String fleet,
        List<InstanceUsage> usage,
        BigDecimal ec2Cost,
        BigDecimal emrCost,
        BigDecimal ebsCost,
        BigDecimal totalCost,
        BigDecimal onDemandCost,
        BigDecimal savingsPercent,
        int spotInterruptions,
        long recordsProcessed,
        BigDecimal costPerMillionRecords,
        List<StepDuration> steps)
{
    public ClusterCost
    {
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(fleet, "fleet is null");
        usage = List.copyOf(usage);
        steps = List.copyOf(steps);
        requireNonNull(ec2Cost, "ec2Cost is null");
        requireNonNull(emrCost, "emrCost is null");
        requireNonNull(ebsCost, "ebsCost is null");
        requireNonNull(totalCost, "totalCost is null");
        requireNonNull(onDemandCost, "onDemandCost is null");
        requireNonNull(savingsPercent, "savingsPercent is null");
    }

    public long durationSeconds()
    {
        return createdAt == null || endedAt == null ? 0 : Math.max(0, endedAt.getEpochSecond() - createdAt.getEpochSecond());
    }

    public BigDecimal savings()
    {
        return onDemandCost.subtract(totalCost);
    }

    /**
     * Billed instance-seconds and EC2 cost of all instances of one type in one market.
     *
     * @param market ON_DEMAND or SPOT
     * @param billedSeconds per-second billing with a one-minute minimum per instance
     */
    public record InstanceUsage(String market, String instanceType, int instances, long billedSeconds, BigDecimal ec2Cost) {}

    /** @param seconds null while the step had not ended */
    public record StepDuration(String name, String state, Long seconds) {}
}
