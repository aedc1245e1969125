package io.dragnet.contracts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which source fields an extraction job reads from a columnar (Parquet) day: the fields its rules filter on (predicates,
 * IoC and keyword matches, aggregate measure filters), the fields its documents show (the source fields its declared
 * mapping names for ECS-style document fields ({@link EcsFields}), the time field, the rules' output fields and summary
 * fields) and the fields its aggregate rules group and measure. Every other column of the day is never read.
 *
 * <p>A record rule without output fields keeps the whole record in {@code event.original}, and a NIDS verdict source is
 * deduplicated on its whole session: then every field is read ({@link #needed} is empty).
 */
public final class ScanFields
{
    private ScanFields() {}

    /**
     * The fields of {@code available} the job reads, in the order of {@code available}; empty when it reads them all
     * (see the class comment).
     *
     * @param available the source's fields: the day's columns and the spec's declared fields
     */
    public static Optional<List<String>> needed(JobSpec spec, Collection<String> available)
    {
        if (VerdictColumns.isVerdictSource(available)) {
            return Optional.empty();
        }
        Set<String> needed = new LinkedHashSet<>(EcsFields.sourceFields(spec.source(), available).values());
        EcsFields.timeField(spec.source(), available).ifPresent(needed::add);
        for (JobSpec.RuleSpec rule : spec.rules()) {
            if (rule.aggregate() == null && rule.outputFields().isEmpty()) {
                return Optional.empty();
            }
            addPredicateFields(rule.predicate(), needed);
            needed.addAll(rule.outputFields());
            needed.addAll(rule.summaryGroupBy());
            if (rule.aggregate() != null) {
                needed.addAll(rule.aggregate().groupBy());
                for (AggregateSpec.MeasureSpec measure : rule.aggregate().measures()) {
                    if (measure.field() != null) {
                        needed.add(measure.field());
                    }
                    addPredicateFields(measure.filter(), needed);
                }
            }
        }
        List<String> read = new ArrayList<>();
        for (String field : available) {
            if (needed.contains(field) && !read.contains(field)) {
                read.add(field);
            }
        }
        return Optional.of(List.copyOf(read));
    }

    private static void addPredicateFields(Predicate predicate, Set<String> fields)
    {
        if (predicate instanceof Predicate.And and) {
            and.children().forEach(child -> addPredicateFields(child, fields));
        }
        else if (predicate instanceof Predicate.Or or) {
            or.children().forEach(child -> addPredicateFields(child, fields));
        }
        else if (predicate instanceof Predicate.Not not) {
            addPredicateFields(not.child(), fields);
        }
        else if (predicate instanceof Predicate.FieldMatch match) {
            fields.add(match.field());
        }
        else if (predicate instanceof Predicate.IocMatch match) {
            fields.addAll(match.fields());
        }
        else if (predicate instanceof Predicate.KeywordMatch match) {
            fields.add(match.field());
        }
    }
}
