package io.dragnet.cost.internal;

import io.dragnet.contracts.ClusterRecord;
import io.dragnet.contracts.DragnetException;
import io.dragnet.cost.PriceTable;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the createCluster parameters (EMR RunJobFlow shape: {@code Instances.InstanceFleets} or
 * {@code Instances.InstanceGroups}, {@code EbsRootVolumeSize}, {@code ReleaseLabel}) and, when EMR's own instance list is unknown (the embedded
 * default), turns the request into the instances it would most plausibly obtain.
 *
 * <p>Estimation rule, per fleet: the on-demand target is met with the listed type of the lowest on-demand price per unit
 * of WeightedCapacity, the spot target with the type of the lowest spot price per unit at cluster creation (ties: the
 * first listed); {@code ceil(target / weight)} instances, each living from the cluster's creation to its termination.
 * EMR's price-capacity-optimized allocation may pick a dearer pool with more capacity, so this is a lower-bound estimate
 * of the spot mix and is labelled an estimate wherever shown. Instance groups are taken literally (count × type × market).
 * Keys are matched case-insensitively, so the lowerCamel form of the same parameters is read too.
 */
public final class FleetEstimate
{
    /** EMR's default root volume (GiB) for releases 6.10 and later when EbsRootVolumeSize is not given. */
    public static final int DEFAULT_ROOT_VOLUME_GB = 15;
    private static final Pattern RELEASE = Pattern.compile("emr-(\\d+)\\.(\\d+)\\..*");

    private FleetEstimate() {}

    public static EstimatedCluster read(Map<String, Object> requested)
    {
        Map<String, Object> instances = map(get(requested, "Instances"), "Instances");
        List<Fleet> fleets = new ArrayList<>();
        for (Object fleet : list(get(instances, "InstanceFleets"), "Instances.InstanceFleets")) {
            fleets.add(fleet(map(fleet, "Instances.InstanceFleets[]")));
        }
        for (Object group : list(get(instances, "InstanceGroups"), "Instances.InstanceGroups")) {
            fleets.add(group(map(group, "Instances.InstanceGroups[]")));
        }
        Object root = get(requested, "EbsRootVolumeSize");
        int rootGb = root == null ? DEFAULT_ROOT_VOLUME_GB : integer(root, "EbsRootVolumeSize");
        return new EstimatedCluster(List.copyOf(fleets), rootGb, rootVolumeType(get(requested, "ReleaseLabel")));
    }

    /** EMR's default AMI boots from gp3 from release 6.15.0 on, from gp2 before; an unknown release counts as current. */
    static String rootVolumeType(Object releaseLabel)
    {
        Matcher matcher = RELEASE.matcher(releaseLabel == null ? "" : releaseLabel.toString());
        if (!matcher.matches()) {
            return "gp3";
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major > 6 || major == 6 && minor >= 15 ? "gp3" : "gp2";
    }

    private static Fleet fleet(Map<String, Object> fleet)
    {
        String fleetType = upper(string(get(fleet, "InstanceFleetType"), "InstanceFleets[].InstanceFleetType"));
        List<TypeConfig> configs = new ArrayList<>();
        for (Object config : list(get(fleet, "InstanceTypeConfigs"), "InstanceFleets[].InstanceTypeConfigs")) {
            Map<String, Object> typeConfig = map(config, "InstanceTypeConfigs[]");
            Object weight = get(typeConfig, "WeightedCapacity");
            configs.add(new TypeConfig(
                    string(get(typeConfig, "InstanceType"), "InstanceTypeConfigs[].InstanceType"),
                    weight == null ? 1 : integer(weight, "InstanceTypeConfigs[].WeightedCapacity"),
                    ebsGbByVolumeType(get(typeConfig, "EbsConfiguration"))));
        }
        if (configs.isEmpty()) {
            throw DragnetException.user("requested fleet " + fleetType + " lists no InstanceTypeConfigs");
        }
        return new Fleet(fleetType, optionalInteger(get(fleet, "TargetOnDemandCapacity")), optionalInteger(get(fleet, "TargetSpotCapacity")), configs, false);
    }

    private static Fleet group(Map<String, Object> group)
    {
        String role = upper(string(get(group, "InstanceRole"), "InstanceGroups[].InstanceRole"));
        String market = upper(string(orDefault(get(group, "Market"), "ON_DEMAND"), "InstanceGroups[].Market"));
        int count = integer(get(group, "InstanceCount"), "InstanceGroups[].InstanceCount");
        TypeConfig config = new TypeConfig(string(get(group, "InstanceType"), "InstanceGroups[].InstanceType"), 1, ebsGbByVolumeType(get(group, "EbsConfiguration")));
        boolean spot = market.equals("SPOT");
        return new Fleet(role, spot ? 0 : count, spot ? count : 0, List.of(config), true);
    }

    private static Map<String, Integer> ebsGbByVolumeType(Object ebsConfiguration)
    {
        Map<String, Integer> gigabytes = new TreeMap<>();
        if (ebsConfiguration == null) {
            return gigabytes;
        }
        for (Object device : list(get(map(ebsConfiguration, "EbsConfiguration"), "EbsBlockDeviceConfigs"), "EbsBlockDeviceConfigs")) {
            Map<String, Object> deviceConfig = map(device, "EbsBlockDeviceConfigs[]");
            Map<String, Object> volume = map(get(deviceConfig, "VolumeSpecification"), "EbsBlockDeviceConfigs[].VolumeSpecification");
            Object perInstance = get(deviceConfig, "VolumesPerInstance");
            gigabytes.merge(string(get(volume, "VolumeType"), "VolumeSpecification.VolumeType"),
                    integer(get(volume, "SizeInGB"), "VolumeSpecification.SizeInGB") * (perInstance == null ? 1 : integer(perInstance, "VolumesPerInstance")),
                    Integer::sum);
        }
        return gigabytes;
    }

    /**
     * @param rootVolumeGb root volume of every instance
     * @param rootVolumeType its EBS volume type (gp3 from EMR 6.15.0 on, gp2 before)
     */
    public record EstimatedCluster(List<Fleet> fleets, int rootVolumeGb, String rootVolumeType)
    {
        /** EBS GiB by volume type of one instance of this fleet and type: its attached volumes and its root volume. */
        public Map<String, Integer> volumes(String fleetType, String instanceType)
        {
            Map<String, Integer> gigabytes = new TreeMap<>();
            fleets.stream().filter(fleet -> fleet.fleetType().equalsIgnoreCase(fleetType == null ? "" : fleetType))
                    .flatMap(fleet -> fleet.configs().stream())
                    .filter(config -> config.instanceType().equals(instanceType))
                    .findFirst()
                    .ifPresent(config -> gigabytes.putAll(config.ebsGbByVolumeType()));
            gigabytes.merge(rootVolumeType, rootVolumeGb, Integer::sum);
            return gigabytes;
        }

        /** Every volume type the cluster's instances may carry. */
        public Set<String> volumeTypes()
        {
            Set<String> types = new TreeSet<>();
            types.add(rootVolumeType);
            fleets.forEach(fleet -> fleet.configs().forEach(config -> types.addAll(config.ebsGbByVolumeType().keySet())));
            return types;
        }

        /** The instances the request would obtain, per the rule in the class Javadoc; endedAt null while running. */
        public List<ClusterRecord.Instance> instances(PriceTable prices, Instant createdAt, Instant terminatedAt)
        {
            List<ClusterRecord.Instance> instances = new ArrayList<>();
            String launched = createdAt.toString();
            String ended = terminatedAt == null ? null : terminatedAt.toString();
            String endReason = terminatedAt == null ? null : "CLUSTER_TERMINATED";
            for (Fleet fleet : fleets) {
                if (fleet.onDemandTarget() > 0) {
                    TypeConfig cheapest = cheapest(fleet, prices, "ON_DEMAND", config -> prices.onDemand(config.instanceType()));
                    addInstances(instances, fleet, cheapest, fleet.onDemandTarget(), "ON_DEMAND", launched, ended, endReason);
                }
                if (fleet.spotTarget() > 0) {
                    TypeConfig cheapest = cheapest(fleet, prices, "SPOT", config -> prices.spotAt(config.instanceType(), null, createdAt));
                    addInstances(instances, fleet, cheapest, fleet.spotTarget(), "SPOT", launched, ended, endReason);
                }
            }
            return instances;
        }

        /** Types the table has no price for are passed over: the fleet could still obtain them, the estimate cannot price them. */
        private static TypeConfig cheapest(Fleet fleet, PriceTable prices, String market, Function<TypeConfig, BigDecimal> hourly)
        {
            return fleet.configs().stream()
                    .filter(config -> market.equals("SPOT") ? prices.pricesSpot(config.instanceType()) : prices.pricesOnDemand(config.instanceType()))
                    .min(Comparator.comparing(config -> hourly.apply(config).divide(BigDecimal.valueOf(config.weightedCapacity()), MathContext.DECIMAL128)))
                    .orElseThrow(() -> DragnetException.user("requested fleet " + fleet.fleetType() + ": price table " + prices.source() + " has no "
                            + market + " price for any of its instance types " + fleet.configs().stream().map(TypeConfig::instanceType).toList()));
        }

        private static void addInstances(List<ClusterRecord.Instance> instances, Fleet fleet, TypeConfig config, int target, String market,
                String launched, String ended, String endReason)
        {
            int count = (target + config.weightedCapacity() - 1) / config.weightedCapacity();
            for (int i = 1; i <= count; i++) {
                String id = "estimate-" + fleet.fleetType().toLowerCase(Locale.ROOT) + "-" + market.toLowerCase(Locale.ROOT) + "-" + i;
                instances.add(new ClusterRecord.Instance(id, fleet.fleetType(), config.instanceType(), market, launched, ended, endReason));
            }
        }
    }

    public record Fleet(String fleetType, int onDemandTarget, int spotTarget, List<TypeConfig> configs, boolean instanceGroup) {}

    /** @param ebsGbByVolumeType attached EBS GiB per instance of this type, by volume type (root volume excluded) */
    public record TypeConfig(String instanceType, int weightedCapacity, Map<String, Integer> ebsGbByVolumeType)
    {
        public TypeConfig
        {
            ebsGbByVolumeType = Map.copyOf(ebsGbByVolumeType);
            if (weightedCapacity < 1) {
                throw DragnetException.user("WeightedCapacity of " + instanceType + " must be at least 1, was " + weightedCapacity);
            }
        }
    }

    private static Object get(Map<String, Object> map, String key)
    {
        if (map == null) {
            return null;
        }
        Object value = map.get(key);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Object orDefault(Object value, Object fallback)
    {
        return value == null ? fallback : value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where)
    {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw DragnetException.user("requested cluster parameters: " + where + " must be an object, was " + value);
    }

    private static List<?> list(Object value, String where)
    {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw DragnetException.user("requested cluster parameters: " + where + " must be an array, was " + value);
    }

    private static String string(Object value, String where)
    {
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("requested cluster parameters: " + where + " is missing");
        }
        return value.toString();
    }

    private static int integer(Object value, String where)
    {
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(string(value, where).trim());
        }
        catch (NumberFormatException e) {
            throw DragnetException.user("requested cluster parameters: " + where + " must be an integer, was '" + value + "'");
        }
    }

    private static int optionalInteger(Object value)
    {
        return value == null ? 0 : integer(value, "target capacity");
    }

    private static String upper(String value)
    {
        return value.toUpperCase(Locale.ROOT);
    }
}
