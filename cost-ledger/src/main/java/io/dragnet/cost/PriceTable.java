package io.dragnet.cost;

import io.dragnet.contracts.DragnetException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Prices in one region, in USD: on-demand Linux and EMR hourly rates per instance type, the spot price history, and the
 * EBS storage rate per GB-month of each volume type (gp2, gp3, io1, st1…). Pure data; see {@link PriceTableFiles} for
 * where it is read from.
 *
 * @param source where the figures came from, shown beside every cost (e.g. "samples/prices (sample figures)")
 */
public record PriceTable(
        String region,
        String source,
        Map<String, BigDecimal> onDemandHourly,
        Map<String, BigDecimal> emrHourly,
        List<SpotPrice> spotHistory,
        Map<String, BigDecimal> ebsGbMonth)
{
    public PriceTable
    {
        requireNonNull(region, "region is null");
        requireNonNull(source, "source is null");
        onDemandHourly = Map.copyOf(requireNonNull(onDemandHourly, "onDemandHourly is null"));
        emrHourly = Map.copyOf(requireNonNull(emrHourly, "emrHourly is null"));
        spotHistory = spotHistory.stream().sorted(Comparator.comparing(SpotPrice::timestamp)).toList();
        ebsGbMonth = Map.copyOf(requireNonNull(ebsGbMonth, "ebsGbMonth is null"));
    }

    /** The storage rate per GB-month of an EBS volume type (its API name, e.g. gp3). */
    public BigDecimal ebsGbMonth(String volumeType)
    {
        return listed(ebsGbMonth, volumeType, "EBS storage price for volume type");
    }

    public BigDecimal onDemand(String instanceType)
    {
        return listed(onDemandHourly, instanceType, "on-demand Linux price for instance type");
    }

    public BigDecimal emr(String instanceType)
    {
        return listed(emrHourly, instanceType, "EMR price for instance type");
    }

    private BigDecimal listed(Map<String, BigDecimal> rates, String key, String what)
    {
        BigDecimal price = rates.get(key);
        if (price == null) {
            throw DragnetException.user("no " + what + " " + key + " in " + source + " (region " + region + "); known types: " + new TreeSet<>(rates.keySet()));
        }
        return price;
    }

    /**
     * The spot price in effect at {@code at}: the latest history entry at or before it (the earliest entry when the
     * history starts later). With a null zone, the highest price across zones, so an unknown zone never understates cost.
     */
    public BigDecimal spotAt(String instanceType, String availabilityZone, Instant at)
    {
        Map<String, SpotPrice> latestPerZone = new HashMap<>();
        Map<String, SpotPrice> earliestPerZone = new HashMap<>();
        for (SpotPrice price : spotHistory) {
            if (!price.instanceType().equals(instanceType) || (availabilityZone != null && !price.availabilityZone().equals(availabilityZone))) {
                continue;
            }
            earliestPerZone.putIfAbsent(price.availabilityZone(), price);
            if (!price.timestamp().isAfter(at)) {
                latestPerZone.put(price.availabilityZone(), price);
            }
        }
        for (Map.Entry<String, SpotPrice> earliest : earliestPerZone.entrySet()) {
            latestPerZone.putIfAbsent(earliest.getKey(), earliest.getValue());
        }
        return latestPerZone.values().stream()
                .map(SpotPrice::hourlyPrice)
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> DragnetException.user("no spot price history for instance type " + instanceType
                        + (availabilityZone == null ? "" : " in " + availabilityZone) + " in " + source));
    }

    /** Instants strictly inside (from, to) where the spot price of this type may change. */
    public List<Instant> spotChanges(String instanceType, String availabilityZone, Instant from, Instant to)
    {
        List<Instant> changes = new ArrayList<>();
        for (SpotPrice price : spotHistory) {
            if (price.instanceType().equals(instanceType)
                    && (availabilityZone == null || price.availabilityZone().equals(availabilityZone))
                    && price.timestamp().isAfter(from) && price.timestamp().isBefore(to)
                    && (changes.isEmpty() || !changes.get(changes.size() - 1).equals(price.timestamp()))) {
                changes.add(price.timestamp());
            }
        }
        return changes;
    }

    /** On-demand and EMR rates are both listed for this type. */
    public boolean pricesOnDemand(String instanceType)
    {
        return onDemandHourly.containsKey(instanceType) && emrHourly.containsKey(instanceType);
    }

    /** On-demand, EMR and spot prices are all known for this type. */
    public boolean pricesSpot(String instanceType)
    {
        return pricesOnDemand(instanceType) && hasSpotHistory(instanceType);
    }

    public boolean hasSpotHistory(String instanceType)
    {
        return spotHistory.stream().anyMatch(price -> price.instanceType().equals(instanceType));
    }
}
