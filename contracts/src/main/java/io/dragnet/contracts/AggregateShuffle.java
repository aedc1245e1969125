package io.dragnet.contracts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One shuffle of the aggregate stage, shared by every grouping (rules with equal {@link AggregateSpec#groupingKey()})
 * whose group fields all contain the {@code partitionFields}: the projection's rows are hash-partitioned by those
 * fields (and by a time bucket that no window of the shuffle crosses, when there is one), sorted by them and time,
 * and one streaming pass computes every grouping's windows. The plan is the same for {@code rules explain} and the
 * extraction job.
 *
 * @param partitionFields the fields every grouping of the shuffle groups by, in the first grouping's order
 * @param bucketSeconds the time bucket rows are also partitioned by: a multiple of every window of the shuffle, all
 *                      tumbling; 0 when a window slides or no such bucket within a day exists
 * @param groupings the grouping keys of the shuffle, in the order their first rules appear
 */
public record AggregateShuffle(List<String> partitionFields, long bucketSeconds, List<String> groupings)
{
    private static final long DAY_SECONDS = 86_400;

    public AggregateShuffle
    {
        partitionFields = List.copyOf(partitionFields);
        groupings = List.copyOf(groupings);
        if (partitionFields.isEmpty() || groupings.isEmpty()) {
            throw new IllegalArgumentException("a shuffle needs partition fields and groupings");
        }
    }

    /**
     * The shuffles of a job's aggregate rules: while groupings are left, the field most of them group by (the first
     * such in rule order on a tie) names one shuffle for every grouping left that groups by it.
     */
    public static List<AggregateShuffle> plan(List<AggregateSpec> aggregates)
    {
        Map<String, AggregateSpec> left = new LinkedHashMap<>();
        aggregates.forEach(aggregate -> left.putIfAbsent(requireNonNull(aggregate, "aggregate is null").groupingKey(), aggregate));
        List<AggregateShuffle> shuffles = new ArrayList<>();
        while (!left.isEmpty()) {
            Map<String, Integer> groupingsPerField = new LinkedHashMap<>();
            left.values().forEach(aggregate -> aggregate.groupBy().forEach(field -> groupingsPerField.merge(field, 1, Integer::sum)));
            String shared = groupingsPerField.entrySet().stream().max((a, b) -> Integer.compare(a.getValue(), b.getValue())).orElseThrow().getKey();
            List<AggregateSpec> members = left.values().stream().filter(aggregate -> aggregate.groupBy().contains(shared)).toList();
            Set<String> common = new LinkedHashSet<>(members.get(0).groupBy());
            members.forEach(aggregate -> common.retainAll(aggregate.groupBy()));
            shuffles.add(new AggregateShuffle(List.copyOf(common), bucketSeconds(members), members.stream().map(AggregateSpec::groupingKey).toList()));
            members.forEach(aggregate -> left.remove(aggregate.groupingKey()));
        }
        return List.copyOf(shuffles);
    }

    /** The smallest common multiple of the members' tumbling windows when it fits in a day, else 0. */
    private static long bucketSeconds(List<AggregateSpec> members)
    {
        long bucket = 1;
        for (AggregateSpec aggregate : members) {
            if (aggregate.slideSeconds() != aggregate.windowSeconds()) {
                return 0;
            }
            bucket = bucket / gcd(bucket, aggregate.windowSeconds()) * aggregate.windowSeconds();
            if (bucket > DAY_SECONDS) {
                return 0;
            }
        }
        return bucket;
    }

    private static long gcd(long a, long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }
}
