package io.dragnet.cost.aws;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.ClusterSource;
import io.dragnet.cost.ObservedCluster;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.EbsBlockDevice;
import software.amazon.awssdk.services.emr.model.Instance;
import software.amazon.awssdk.services.emr.model.InstanceFleet;
import software.amazon.awssdk.services.emr.model.InstanceTypeSpecification;
import software.amazon.awssdk.services.emr.model.StepSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads a cluster back from EMR: DescribeCluster (times, state, zone, root volume), ListInstanceFleets (what was
 * requested, in the RunJobFlow shape the cost estimate reads), ListInstances (market, type, launch and end of every
 * instance) and ListSteps (step durations). Thin: no cost logic here.
 *
 * <p>Spot reclaims: EMR reports a reclaimed spot instance with state-change code INSTANCE_FAILURE and a message naming
 * the spot interruption; a SPOT instance whose end message mentions "spot" is recorded with end reason
 * {@code SPOT_INSTANCE_TERMINATION}, any other end keeps EMR's code.
 */
public final class EmrClusterSource
        implements ClusterSource
{
    public static final String SPOT_INSTANCE_TERMINATION = "SPOT_INSTANCE_TERMINATION";

    private final EmrClient emr;
    private final String runId;
    private final String date;

    public EmrClusterSource(EmrClient emr, String runId, String date)
    {
        this.emr = requireNonNull(emr, "emr is null");
        this.runId = runId;
        this.date = date;
    }

    @Override
    public Optional<ObservedCluster> read(String clusterId)
    {
        try {
            Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
            Map<String, String> fleetTypes = new HashMap<>();
            List<Map<String, Object>> fleets = new ArrayList<>();
            for (InstanceFleet fleet : emr.listInstanceFleetsPaginator(request -> request.clusterId(clusterId)).instanceFleets()) {
                fleetTypes.put(fleet.id(), fleet.instanceFleetTypeAsString());
                fleets.add(requestedFleet(fleet));
            }
            List<ClusterRecord.Instance> instances = new ArrayList<>();
            for (Instance instance : emr.listInstancesPaginator(request -> request.clusterId(clusterId)).instances()) {
                instances.add(instance(instance, fleetTypes));
            }
            List<ClusterRecord.Step> steps = new ArrayList<>();
            for (StepSummary step : emr.listStepsPaginator(request -> request.clusterId(clusterId)).steps()) {
                steps.add(new ClusterRecord.Step(step.id(), step.name(), step.status().stateAsString(),
                        string(step.status().timeline() == null ? null : step.status().timeline().startDateTime()),
                        string(step.status().timeline() == null ? null : step.status().timeline().endDateTime()), null));
            }
            // ListSteps returns the newest first; the ledger lists steps in the order they ran.
            Collections.reverse(steps);
            Map<String, Object> requested = new LinkedHashMap<>();
            requested.put("Name", cluster.name());
            requested.put("ReleaseLabel", cluster.releaseLabel());
            if (cluster.ebsRootVolumeSize() != null) {
                requested.put("EbsRootVolumeSize", cluster.ebsRootVolumeSize());
            }
            requested.put("Instances", Map.of("InstanceFleets", fleets));
            ClusterRecord record = new ClusterRecord(cluster.id(), runId, date, cluster.status().stateAsString(),
                    string(cluster.status().timeline().creationDateTime()), string(cluster.status().timeline().readyDateTime()),
                    string(cluster.status().timeline().endDateTime()), requested, instances, steps, false);
            String zone = cluster.ec2InstanceAttributes() == null ? null : cluster.ec2InstanceAttributes().ec2AvailabilityZone();
            return Optional.of(new ObservedCluster(record, zone));
        }
        catch (software.amazon.awssdk.services.emr.model.InvalidRequestException e) {
            if (e.getMessage() != null && e.getMessage().contains("not valid")) {
                return Optional.empty();
            }
            throw DragnetException.external("EMR refused to describe cluster " + clusterId + ": " + e.getMessage(), e);
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read cluster " + clusterId + " from EMR: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> requestedFleet(InstanceFleet fleet)
    {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (InstanceTypeSpecification specification : fleet.instanceTypeSpecifications()) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("InstanceType", specification.instanceType());
            config.put("WeightedCapacity", specification.weightedCapacity() == null ? 1 : specification.weightedCapacity());
            List<Map<String, Object>> devices = new ArrayList<>();
            for (EbsBlockDevice device : specification.ebsBlockDevices()) {
                devices.add(Map.of("VolumeSpecification", Map.of("SizeInGB", device.volumeSpecification().sizeInGB(),
                        "VolumeType", device.volumeSpecification().volumeType()), "VolumesPerInstance", 1));
            }
            if (!devices.isEmpty()) {
                config.put("EbsConfiguration", Map.of("EbsBlockDeviceConfigs", devices));
            }
            configs.add(config);
        }
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("Name", fleet.name());
        requested.put("InstanceFleetType", fleet.instanceFleetTypeAsString());
        requested.put("TargetOnDemandCapacity", fleet.targetOnDemandCapacity() == null ? 0 : fleet.targetOnDemandCapacity());
        requested.put("TargetSpotCapacity", fleet.targetSpotCapacity() == null ? 0 : fleet.targetSpotCapacity());
        requested.put("InstanceTypeConfigs", configs);
        return requested;
    }

    private static ClusterRecord.Instance instance(Instance instance, Map<String, String> fleetTypes)
    {
        String market = instance.marketAsString();
        String endReason = null;
        Instant ended = instance.status().timeline() == null ? null : instance.status().timeline().endDateTime();
        if (ended != null && instance.status().stateChangeReason() != null) {
            String message = instance.status().stateChangeReason().message();
            boolean spotReclaim = "SPOT".equalsIgnoreCase(market) && message != null && message.toLowerCase(Locale.ROOT).contains("spot");
            endReason = spotReclaim ? SPOT_INSTANCE_TERMINATION : instance.status().stateChangeReason().codeAsString();
        }
        return new ClusterRecord.Instance(instance.ec2InstanceId(), fleetTypes.get(instance.instanceFleetId()), instance.instanceType(), market,
                string(instance.status().timeline() == null ? null : instance.status().timeline().creationDateTime()), string(ended), endReason);
    }

    private static String string(Instant instant)
    {
        return instant == null ? null : instant.toString();
    }
}
