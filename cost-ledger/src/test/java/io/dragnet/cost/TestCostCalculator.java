package io.dragnet.cost;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.ClusterRecord.Instance;
import io.dragnet.contracts.ClusterRecord.Step;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.RunMetrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every expected figure below is computed by hand in the comment above it. */
class TestCostCalculator
{
    private static final Instant NOW = Instant.parse("2018-11-02T05:00:00Z");

    /**
     * m5.xlarge: on-demand 0.192, EMR 0.048, spot in us-east-1a 0.072 until 03:30 then 0.081; in us-east-1b 0.075.
     * m5a.xlarge: on-demand 0.172, EMR 0.043, spot 0.069 (1a). m5.2xlarge: on-demand 0.384, EMR 0.096, spot 0.145 (1a) / 0.149 (1b).
     * x.test: on-demand 36.00/h (1 cent a second), EMR 3.60/h, spot 18.00/h, so small durations show in cents.
     * EBS per GB-month: gp2 0.10, gp3 0.08, st1 0.045.
     */
    static PriceTable prices()
    {
        Instant start = Instant.parse("2018-11-01T00:00:00Z");
        return new PriceTable("us-east-1", "test table",
                Map.of("m5.xlarge", new BigDecimal("0.192"), "m5a.xlarge", new BigDecimal("0.172"), "m5.2xlarge", new BigDecimal("0.384"), "x.test", new BigDecimal("36.00")),
                Map.of("m5.xlarge", new BigDecimal("0.048"), "m5a.xlarge", new BigDecimal("0.043"), "m5.2xlarge", new BigDecimal("0.096"), "x.test", new BigDecimal("3.60")),
                List.of(
                        new SpotPrice("m5.xlarge", "us-east-1a", new BigDecimal("0.072"), start),
                        new SpotPrice("m5.xlarge", "us-east-1b", new BigDecimal("0.075"), start),
                        new SpotPrice("m5.xlarge", "us-east-1a", new BigDecimal("0.081"), Instant.parse("2018-11-02T03:30:00Z")),
                        new SpotPrice("m5a.xlarge", "us-east-1a", new BigDecimal("0.069"), start),
                        new SpotPrice("m5.2xlarge", "us-east-1a", new BigDecimal("0.145"), start),
                        new SpotPrice("m5.2xlarge", "us-east-1b", new BigDecimal("0.149"), start),
                        new SpotPrice("x.test", "us-east-1a", new BigDecimal("18.00"), start)),
                Map.of("gp2", new BigDecimal("0.10"), "gp3", new BigDecimal("0.08"), "st1", new BigDecimal("0.045")));
    }

    /** CORE instances carry one 32 GiB EBS volume each; every instance has the default 15 GiB root volume. */
    static Map<String, Object> requestedMixedFleet()
    {
        Map<String, Object> ebs32 = Map.of("EbsBlockDeviceConfigs", List.of(Map.of("VolumeSpecification", Map.of("SizeInGB", 32, "VolumeType", "gp2"), "VolumesPerInstance", 1)));
        return Map.of(
                "Name", "dragnet-daily",
                "ReleaseLabel", "emr-7.2.0",
                "Instances", Map.of("InstanceFleets", List.of(
                        Map.of("Name", "master", "InstanceFleetType", "MASTER", "TargetOnDemandCapacity", 1,
                                "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge"))),
                        Map.of("Name", "core", "InstanceFleetType", "CORE", "TargetSpotCapacity", 2,
                                "InstanceTypeConfigs", List.of(
                                        Map.of("InstanceType", "m5.xlarge", "WeightedCapacity", 1, "EbsConfiguration", ebs32),
                                        Map.of("InstanceType", "m5a.xlarge", "WeightedCapacity", 1, "EbsConfiguration", ebs32))))));
    }

    @Test
    void mixedFleetOnDemandMasterAndSpotCoreAcrossAPriceChange()
    {
        ClusterRecord cluster = new ClusterRecord("j-MIXED", "run-1", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", "2018-11-02T03:05:00Z", "2018-11-02T04:00:00Z", requestedMixedFleet(),
                List.of(
                        new Instance("i-master", "MASTER", "m5.xlarge", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z", "CLUSTER_TERMINATED"),
                        new Instance("i-core1", "CORE", "m5.xlarge", "SPOT", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z", "CLUSTER_TERMINATED"),
                        new Instance("i-core2", "CORE", "m5a.xlarge", "SPOT", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z", "CLUSTER_TERMINATED")),
                List.of(new Step("s-1", "zeek_conn", "COMPLETED", "2018-11-02T03:06:00Z", "2018-11-02T03:31:15Z", null)),
                false);
        RunMetrics conn = new RunMetrics("run-1", "2018-11-02", "zeek_conn", 2_000_000, 0, 10, 0, null, null, null, 1000);
        RunMetrics dns = new RunMetrics("run-1", "2018-11-02", "zeek_dns", 500_000, 0, 10, 0, null, null, null, 1000);

        ClusterCost cost = CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(conn, dns), NOW);

        // EC2: master 3600 s × 0.192/h = 0.192; core1 spot 1800 s × 0.072 + 1800 s × 0.081 = 0.036 + 0.0405 = 0.0765;
        //      core2 spot 3600 s × 0.069 = 0.069; sum 0.3375 → 0.34
        assertThat(cost.ec2Cost()).isEqualByComparingTo("0.34");
        // EMR: 0.048 + 0.048 + 0.043 = 0.139 → 0.14
        assertThat(cost.emrCost()).isEqualByComparingTo("0.14");
        // EBS (emr-7.2.0: gp3 roots): roots 3 × 15 GiB × 3600 s × 0.08 / 2,628,000 s-per-month = 0.004932;
        //      core gp2 volumes 2 × 32 GiB × 3600 s × 0.10 / 2,628,000 = 0.008767; sum 0.013699 → 0.01
        assertThat(cost.ebsCost()).isEqualByComparingTo("0.01");
        assertThat(cost.totalCost()).isEqualByComparingTo("0.49");
        // On-demand: EC2 0.192 + 0.192 + 0.172 = 0.556 → 0.56; + 0.14 + 0.01 = 0.71; savings 0.22 / 0.71 = 30.99 % → 31.0
        assertThat(cost.onDemandCost()).isEqualByComparingTo("0.71");
        assertThat(cost.savingsPercent()).isEqualByComparingTo("31.0");
        assertThat(cost.usage()).containsExactly(
                new ClusterCost.InstanceUsage("ON_DEMAND", "m5.xlarge", 1, 3600, new BigDecimal("0.19")),
                new ClusterCost.InstanceUsage("SPOT", "m5.xlarge", 1, 3600, new BigDecimal("0.08")),
                new ClusterCost.InstanceUsage("SPOT", "m5a.xlarge", 1, 3600, new BigDecimal("0.07")));
        assertThat(cost.fleet()).isEqualTo("MASTER 1×m5.xlarge on-demand; CORE 1×m5.xlarge spot + 1×m5a.xlarge spot");
        assertThat(cost.spotInterruptions()).isZero();
        assertThat(cost.estimate()).isFalse();
        assertThat(cost.stillRunning()).isFalse();
        assertThat(cost.durationSeconds()).isEqualTo(3600);
        // 2.5 M records; 0.49 / 2.5 = 0.196 per million
        assertThat(cost.recordsProcessed()).isEqualTo(2_500_000);
        assertThat(cost.costPerMillionRecords()).isEqualByComparingTo("0.1960");
        assertThat(cost.steps()).containsExactly(new ClusterCost.StepDuration("zeek_conn", "COMPLETED", 1515L));
    }

    @Test
    void perSecondBillingWithAOneMinuteMinimum()
    {
        // x.test on-demand costs 1 cent a second. 20.3 s → billed 60 s = 0.60; 61.2 s → a started second counts: 62 s = 0.62; 0 s → 60 s = 0.60.
        ClusterRecord cluster = cluster("j-MINIMUM", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", List.of(
                new Instance("i-1", "CORE", "x.test", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:00:20.300Z", "INSTANCE_FAILURE"),
                new Instance("i-2", "CORE", "x.test", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:01:01.200Z", "CLUSTER_TERMINATED"),
                new Instance("i-3", "CORE", "x.test", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:00:00Z", "BOOTSTRAP_FAILURE")));

        ClusterCost cost = CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(), NOW);

        assertThat(CostCalculator.billedSeconds(Instant.parse("2018-11-02T03:00:00Z"), Instant.parse("2018-11-02T03:00:20.300Z"))).isEqualTo(60);
        assertThat(cost.usage()).containsExactly(new ClusterCost.InstanceUsage("ON_DEMAND", "x.test", 3, 182, new BigDecimal("1.82")));
        assertThat(cost.ec2Cost()).isEqualByComparingTo("1.82");
        // EMR 3.60/h = 0.001/s × 182 s = 0.182 → 0.18
        assertThat(cost.emrCost()).isEqualByComparingTo("0.18");
        // all on-demand: nothing saved
        assertThat(cost.savingsPercent()).isEqualByComparingTo("0.0");
        assertThat(cost.costPerMillionRecords()).isNull();
    }

    @Test
    void spotInterruptedByEc2WithinItsFirstHourCostsNoEc2Charge()
    {
        ClusterRecord cluster = cluster("j-RECLAIM", "2018-11-02T03:00:00Z", "2018-11-02T04:00:00Z", List.of(
                new Instance("i-reclaimed", "CORE", "m5.xlarge", "SPOT", "2018-11-02T03:00:00Z", "2018-11-02T03:45:00Z", "SPOT_INSTANCE_TERMINATION"),
                new Instance("i-replacement", "CORE", "m5a.xlarge", "SPOT", "2018-11-02T03:50:00Z", "2018-11-02T04:00:00Z", "CLUSTER_TERMINATED")));

        ClusterCost cost = CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(), NOW);

        assertThat(cost.spotInterruptions()).isEqualTo(1);
        // reclaimed after 45 min: EC2 0; replacement 600 s × 0.069 / 3600 = 0.0115 → 0.01
        assertThat(cost.ec2Cost()).isEqualByComparingTo("0.01");
        assertThat(cost.usage()).extracting(ClusterCost.InstanceUsage::billedSeconds).containsExactly(2700L, 600L);
        assertThat(cost.usage()).extracting(ClusterCost.InstanceUsage::ec2Cost).containsExactly(new BigDecimal("0.00"), new BigDecimal("0.01"));
        // on-demand view: 2700 × 0.192 + 600 × 0.172 per hour = 0.144 + 0.028667 = 0.172667 → 0.17
        // EMR still charged: 2700 × 0.048 + 600 × 0.043 = 0.036 + 0.007167 = 0.043167 → 0.04; EBS: 15 GiB gp3 root × 3300 s × 0.08 / 2,628,000 → 0.00
        assertThat(cost.emrCost()).isEqualByComparingTo("0.04");
        assertThat(cost.ebsCost()).isEqualByComparingTo("0.00");
        assertThat(cost.totalCost()).isEqualByComparingTo("0.05");
        assertThat(cost.onDemandCost()).isEqualByComparingTo("0.21");
        // 0.16 / 0.21 = 76.2 %
        assertThat(cost.savingsPercent()).isEqualByComparingTo("76.2");
    }

    @Test
    void ebsIsPricedByEachVolumesType()
    {
        // One on-demand m5.xlarge CORE instance for a 730-hour month (cost per GB-month exactly): attached 2 × 100 GiB gp3 and
        // 500 GiB st1, root 15 GiB. emr-6.14.0 boots from gp2: 15 × 0.10 + 200 × 0.08 + 500 × 0.045 = 1.50 + 16.00 + 22.50 = 40.00.
        // emr-6.15.0 boots from gp3: 215 × 0.08 + 22.50 = 17.20 + 22.50 = 39.70.
        for (Map.Entry<String, String> release : Map.of("emr-6.14.0", "40.00", "emr-6.15.0", "39.70").entrySet()) {
            Map<String, Object> volumes = Map.of("EbsBlockDeviceConfigs", List.of(
                    Map.of("VolumeSpecification", Map.of("SizeInGB", 100, "VolumeType", "gp3"), "VolumesPerInstance", 2),
                    Map.of("VolumeSpecification", Map.of("SizeInGB", 500, "VolumeType", "st1"))));
            Map<String, Object> requested = Map.of("ReleaseLabel", release.getKey(), "Instances", Map.of("InstanceFleets", List.of(
                    Map.of("InstanceFleetType", "CORE", "TargetOnDemandCapacity", 1,
                            "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge", "EbsConfiguration", volumes))))));
            ClusterRecord cluster = new ClusterRecord("j-VOLUMES", "run-1", "2018-11-02", "TERMINATED", "2018-10-01T00:00:00Z", "2018-10-01T00:00:00Z",
                    "2018-10-31T10:00:00Z", requested, List.of(new Instance("i-core", "CORE", "m5.xlarge", "ON_DEMAND",
                            "2018-10-01T00:00:00Z", "2018-10-31T10:00:00Z", "CLUSTER_TERMINATED")), List.of(), false);

            ClusterCost cost = CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(), NOW);

            assertThat(cost.ebsCost()).as(release.getKey()).isEqualByComparingTo(release.getValue());
        }
    }

    @Test
    void aVolumeTypeWithoutAPriceIsAUserError()
    {
        Map<String, Object> volumes = Map.of("EbsBlockDeviceConfigs", List.of(Map.of("VolumeSpecification", Map.of("SizeInGB", 10, "VolumeType", "io2"))));
        Map<String, Object> requested = Map.of("ReleaseLabel", "emr-7.5.0", "Instances", Map.of("InstanceFleets", List.of(
                Map.of("InstanceFleetType", "CORE", "TargetOnDemandCapacity", 1,
                        "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge", "EbsConfiguration", volumes))))));
        ClusterRecord cluster = new ClusterRecord("j-IO2", "run-1", "2018-11-02", "TERMINATED", "2018-11-02T03:00:00Z", "2018-11-02T03:00:00Z",
                "2018-11-02T04:00:00Z", requested, List.of(), List.of(), true);

        assertThatThrownBy(() -> CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(), NOW))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("no EBS storage price for volume type io2").hasMessageContaining("[gp2, gp3, st1]");
    }

    @Test
    void theFreeFirstHourCoversOnlyEc2InterruptionsBeforeTheHour()
    {
        // x.test spot 18.00/h = 0.005 a second.
        ClusterRecord cluster = cluster("j-HOUR", "2018-11-02T00:00:00Z", "2018-11-02T02:00:00Z", List.of(
                // interrupted 1 s before the hour: free
                new Instance("i-59m59s", "TASK", "x.test", "SPOT", "2018-11-02T00:00:00Z", "2018-11-02T00:59:59Z", "SPOT_INSTANCE_TERMINATION"),
                // interrupted at exactly one hour: 3600 s × 0.005 = 18.00
                new Instance("i-60m", "TASK", "x.test", "SPOT", "2018-11-02T00:00:00Z", "2018-11-02T01:00:00Z", "SPOT_INSTANCE_TERMINATION"),
                // ended within the hour by the cluster, not by EC2: 1800 s × 0.005 = 9.00
                new Instance("i-scaled-in", "TASK", "x.test", "SPOT", "2018-11-02T00:00:00Z", "2018-11-02T00:30:00Z", "INSTANCE_TERMINATED_BY_SCALING")));

        ClusterCost cost = CostCalculator.compute(cluster, prices(), "us-east-1a", List.of(), NOW);

        assertThat(cost.spotInterruptions()).isEqualTo(2);
        // 0 + 18.00 + 9.00
        assertThat(cost.ec2Cost()).isEqualByComparingTo("27.00");
        // EMR 3.60/h = 0.001/s for every second: 3599 + 3600 + 1800 = 8999 s → 9.00 (8.999)
        assertThat(cost.emrCost()).isEqualByComparingTo("9.00");
    }

    @Test
    void emrUpliftIsChargedPerInstanceWhateverItsMarket()
    {
        // x.test EMR 3.60/h, one spot and one on-demand instance, 10 minutes each: 2 × 600 s × 0.001 = 1.20.
        // EC2: spot 600 s × 18.00/h = 3.00, on-demand 600 s × 36.00/h = 6.00 → 9.00; on-demand view 12.00.
        ClusterRecord cluster = cluster("j-UPLIFT", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", List.of(
                new Instance("i-od", "MASTER", "x.test", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", "CLUSTER_TERMINATED"),
                new Instance("i-spot", "CORE", "x.test", "SPOT", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", "CLUSTER_TERMINATED")));

        ClusterCost cost = CostCalculator.compute(cluster, prices(), null, List.of(), NOW);

        assertThat(cost.emrCost()).isEqualByComparingTo("1.20");
        assertThat(cost.ec2Cost()).isEqualByComparingTo("9.00");
        // EBS: 2 × 15 GiB gp3 × 600 s × 0.08 / 2,628,000 = 0.000548 → 0.00
        assertThat(cost.totalCost()).isEqualByComparingTo("10.20");
        assertThat(cost.onDemandCost()).isEqualByComparingTo("13.20");
        // 3.00 / 13.20 = 22.727 % → 22.7
        assertThat(cost.savingsPercent()).isEqualByComparingTo("22.7");
    }

    @Test
    void failedRunStillCostsWhatItRanAndKeepsItsStepDurations()
    {
        ClusterRecord cluster = new ClusterRecord("j-FAILED", "run-f", "2018-11-02", "TERMINATED_WITH_ERRORS",
                "2018-11-02T03:00:00Z", "2018-11-02T03:04:00Z", "2018-11-02T03:20:00Z", Map.of(),
                List.of(new Instance("i-1", "MASTER", "x.test", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:20:00Z", "CLUSTER_TERMINATED")),
                List.of(
                        new Step("s-1", "zeek_conn", "COMPLETED", "2018-11-02T03:05:00Z", "2018-11-02T03:09:30Z", null),
                        new Step("s-2", "zeek_dns", "FAILED", "2018-11-02T03:10:00Z", "2018-11-02T03:10:42Z", null),
                        new Step("s-3", "zeek_http", "CANCELLED", null, null, null)),
                false);

        ClusterCost cost = CostCalculator.compute(cluster, prices(), null, List.of(), NOW);

        // 1200 s × 0.01 = 12.00 EC2, 1200 × 0.001 = 1.20 EMR, EBS 15 GiB gp3 × 1200 × 0.08 / 2,628,000 = 0.00055 → 0.00
        assertThat(cost.totalCost()).isEqualByComparingTo("13.20");
        assertThat(cost.steps()).containsExactly(
                new ClusterCost.StepDuration("zeek_conn", "COMPLETED", 270L),
                new ClusterCost.StepDuration("zeek_dns", "FAILED", 42L),
                new ClusterCost.StepDuration("zeek_http", "CANCELLED", null));
    }

    @Test
    void clusterStillRunningIsFlaggedAndCostedUntilTheRecordingTime()
    {
        ClusterRecord cluster = cluster("j-RUNNING", "2018-11-02T04:50:00Z", null, List.of(
                new Instance("i-1", "MASTER", "x.test", "ON_DEMAND", "2018-11-02T04:50:00Z", null, null)));

        ClusterCost cost = CostCalculator.compute(cluster, prices(), null, List.of(), NOW);

        assertThat(cost.stillRunning()).isTrue();
        assertThat(cost.endedAt()).isEqualTo(NOW);
        // 04:50 → 05:00 = 600 s: 6.00 EC2 + 0.60 EMR
        assertThat(cost.totalCost()).isEqualByComparingTo("6.60");
        assertThat(cost.durationSeconds()).isEqualTo(600);
    }

    @Test
    void embeddedDefaultEstimatesTheRequestedFleetByPricePerWeightedUnit()
    {
        // MASTER on-demand target 1 over m5.xlarge (0.192) and m5a.xlarge (0.172): m5a.xlarge.
        // CORE spot target 4 over m5.xlarge weight 1 (highest zone 0.075 per unit) and m5.2xlarge weight 2 (0.149 / 2 = 0.0745 per unit):
        // m5.2xlarge, ceil(4 / 2) = 2 instances. Cluster lives 600 s.
        Map<String, Object> requested = Map.of("Instances", Map.of("InstanceFleets", List.of(
                Map.of("InstanceFleetType", "MASTER", "TargetOnDemandCapacity", 1, "TargetSpotCapacity", 0,
                        "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge"), Map.of("InstanceType", "m5a.xlarge"))),
                Map.of("InstanceFleetType", "CORE", "TargetSpotCapacity", 4,
                        "InstanceTypeConfigs", List.of(Map.of("InstanceType", "m5.xlarge", "WeightedCapacity", 1), Map.of("InstanceType", "m5.2xlarge", "WeightedCapacity", 2))))));
        ClusterRecord cluster = new ClusterRecord("local-1", "run-e", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", requested, List.of(), List.of(), true);

        ClusterCost cost = CostCalculator.compute(cluster, prices(), null, List.of(), NOW);

        assertThat(cost.estimate()).isTrue();
        assertThat(cost.fleet()).isEqualTo("MASTER 1×m5a.xlarge on-demand; CORE 2×m5.2xlarge spot");
        // EC2: 600 × 0.172 / 3600 = 0.028667 + 2 × 600 × 0.149 / 3600 = 0.049667 → 0.078333 → 0.08
        assertThat(cost.ec2Cost()).isEqualByComparingTo("0.08");
        // EMR: 600 × (0.043 + 2 × 0.096) / 3600 = 0.039167 → 0.04; EBS 3 × 15 GiB × 600 s → 0.00103 → 0.00
        assertThat(cost.emrCost()).isEqualByComparingTo("0.04");
        assertThat(cost.totalCost()).isEqualByComparingTo("0.12");
        // on-demand: 0.028667 + 2 × 600 × 0.384 / 3600 = 0.128 → 0.156667 → 0.16; + 0.04 = 0.20; savings 0.08 / 0.20 = 40.0 %
        assertThat(cost.onDemandCost()).isEqualByComparingTo("0.20");
        assertThat(cost.savingsPercent()).isEqualByComparingTo("40.0");
    }

    @Test
    void theWorkflowsDailyFleetIsEstimatedFromTheSamplePriceTable()
    {
        // The InstanceFleets of statemachine/daily-run.asl.json's CreateCluster, one hour, sample prices (highest zone price at 03:00):
        // MASTER on-demand 1 of m5.xlarge 0.192 / m6i.xlarge 0.192 / m5a.xlarge 0.172 → m5a.xlarge.
        // CORE spot 4 per unit: r5.xlarge 0.082, r6i.xlarge 0.088, r5a.xlarge 0.079, r5.2xlarge 0.165/2 = 0.0825, r6i.2xlarge 0.172/2 = 0.086 → 4 × r5a.xlarge.
        // TASK spot 8 per unit: m5.2xlarge 0.149/2, m6i.2xlarge 0.152/2, m5a.2xlarge 0.142/2 = 0.071, c5.4xlarge 0.271/4 = 0.06775, c6i.4xlarge 0.28/4 → 2 × c5.4xlarge.
        Map<String, Object> requested = Map.of("Instances", Map.of("InstanceFleets", List.of(
                Map.of("Name", "primary", "InstanceFleetType", "MASTER", "TargetOnDemandCapacity", 1, "InstanceTypeConfigs",
                        List.of(Map.of("InstanceType", "m5.xlarge"), Map.of("InstanceType", "m6i.xlarge"), Map.of("InstanceType", "m5a.xlarge"))),
                Map.of("Name", "core-spot", "InstanceFleetType", "CORE", "TargetSpotCapacity", 4, "TargetOnDemandCapacity", 0, "InstanceTypeConfigs", List.of(
                        Map.of("InstanceType", "r5.xlarge", "WeightedCapacity", 1), Map.of("InstanceType", "r6i.xlarge", "WeightedCapacity", 1),
                        Map.of("InstanceType", "r5a.xlarge", "WeightedCapacity", 1), Map.of("InstanceType", "r5.2xlarge", "WeightedCapacity", 2),
                        Map.of("InstanceType", "r6i.2xlarge", "WeightedCapacity", 2))),
                Map.of("Name", "task-spot", "InstanceFleetType", "TASK", "TargetSpotCapacity", 8, "TargetOnDemandCapacity", 0, "InstanceTypeConfigs", List.of(
                        Map.of("InstanceType", "m5.2xlarge", "WeightedCapacity", 2), Map.of("InstanceType", "m6i.2xlarge", "WeightedCapacity", 2),
                        Map.of("InstanceType", "m5a.2xlarge", "WeightedCapacity", 2), Map.of("InstanceType", "c5.4xlarge", "WeightedCapacity", 4),
                        Map.of("InstanceType", "c6i.4xlarge", "WeightedCapacity", 4))))));
        ClusterRecord cluster = new ClusterRecord("local-daily", "run-d", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", "2018-11-02T03:02:00Z", "2018-11-02T04:00:00Z", requested, List.of(), List.of(), true);

        ClusterCost cost = CostCalculator.compute(cluster, PriceTableFiles.load(TestPriceTableFiles.samplePrices()), null, List.of(), NOW);

        assertThat(cost.fleet()).isEqualTo("MASTER 1×m5a.xlarge on-demand; CORE 4×r5a.xlarge spot; TASK 2×c5.4xlarge spot");
        // EC2: 0.172 + 4 × 0.079 + 2 × 0.271 = 1.030; EMR: 0.043 + 4 × 0.057 + 2 × 0.170 = 0.611 → 0.61;
        // EBS: 7 × 15 GiB gp3 roots × 3600 s × 0.08 / 2,628,000 = 0.0115 → 0.01; total 1.65.
        // On-demand: 0.172 + 4 × 0.226 + 2 × 0.680 = 2.436 → 2.44 + 0.61 + 0.01 = 3.06; savings 1.41 / 3.06 = 46.1 %.
        assertThat(cost.ec2Cost()).isEqualByComparingTo("1.03");
        assertThat(cost.emrCost()).isEqualByComparingTo("0.61");
        assertThat(cost.ebsCost()).isEqualByComparingTo("0.01");
        assertThat(cost.totalCost()).isEqualByComparingTo("1.65");
        assertThat(cost.onDemandCost()).isEqualByComparingTo("3.06");
        assertThat(cost.savingsPercent()).isEqualByComparingTo("46.1");
    }

    @Test
    void anEstimatePassesOverTypesTheTableCannotPriceButFailsWhenNoneIsPriced()
    {
        Map<String, Object> requested = Map.of("Instances", Map.of("InstanceFleets", List.of(
                Map.of("InstanceFleetType", "CORE", "TargetSpotCapacity", 1,
                        "InstanceTypeConfigs", List.of(Map.of("InstanceType", "z9.huge"), Map.of("InstanceType", "m5a.xlarge"))))));
        ClusterRecord cluster = new ClusterRecord("local-x", "run-x", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", null, "2018-11-02T04:00:00Z", requested, List.of(), List.of(), true);
        assertThat(CostCalculator.compute(cluster, prices(), null, List.of(), NOW).fleet()).isEqualTo("CORE 1×m5a.xlarge spot");

        Map<String, Object> unpriced = Map.of("Instances", Map.of("InstanceFleets", List.of(
                Map.of("InstanceFleetType", "CORE", "TargetSpotCapacity", 1, "InstanceTypeConfigs", List.of(Map.of("InstanceType", "z9.huge"))))));
        ClusterRecord unpricedCluster = new ClusterRecord("local-y", "run-y", "2018-11-02", "TERMINATED",
                "2018-11-02T03:00:00Z", null, "2018-11-02T04:00:00Z", unpriced, List.of(), List.of(), true);
        assertThatThrownBy(() -> CostCalculator.compute(unpricedCluster, prices(), null, List.of(), NOW))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("CORE")
                .hasMessageContaining("z9.huge");
    }

    @Test
    void unknownInstanceTypeNamesTheTypeAndTheTable()
    {
        ClusterRecord cluster = cluster("j-X", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", List.of(
                new Instance("i-1", "MASTER", "z9.huge", "ON_DEMAND", "2018-11-02T03:00:00Z", "2018-11-02T03:10:00Z", null)));

        assertThatThrownBy(() -> CostCalculator.compute(cluster, prices(), null, List.of(), NOW))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("z9.huge")
                .hasMessageContaining("test table");
    }

    private static ClusterRecord cluster(String id, String createdAt, String terminatedAt, List<Instance> instances)
    {
        return new ClusterRecord(id, "run-1", "2018-11-02", terminatedAt == null ? "RUNNING" : "TERMINATED",
                createdAt, createdAt, terminatedAt, Map.of(), instances, List.of(), false);
    }
}
