package io.dragnet.rules.internal;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.rules.Problem;
import io.dragnet.rules.SourceDefinition;
import io.dragnet.rules.model.Aggregation;
import io.dragnet.rules.model.PreviousDay;
import io.dragnet.rules.model.Measure;
import io.dragnet.rules.model.MeasureExpression;
import io.dragnet.rules.model.MeasureExpression.Function;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The field-mapping stage for an aggregate rule over its source: group and measure fields resolved to raw names and
 * type-checked, measure filters compiled to predicates, aggregates written inside ratios, arithmetic and
 * {@code having} lifted out as hidden measures so the backend computes every aggregate once.
 */
public final class AggregateCompiler
{
    private final Rule rule;
    private final SourceDefinition source;
    private final PredicateCompiler predicates;
    private final Consumer<Problem> problems;
    private final List<AggregateSpec.MeasureSpec> measures = new ArrayList<>();
    private boolean failed;

    private AggregateCompiler(Rule rule, SourceDefinition source, PredicateCompiler predicates, Consumer<Problem> problems)
    {
        this.rule = rule;
        this.source = source;
        this.predicates = predicates;
        this.problems = problems;
    }

    /**
     * @param previousDayLocation the source's partition of the day before the run's, read by sliding windows that
     *                            start before the day unless the rule leaves them out
     */
    public static Optional<AggregateSpec> compile(Rule rule, SourceDefinition source, PredicateCompiler predicates, String previousDayLocation, Consumer<Problem> problems)
    {
        return new AggregateCompiler(rule, source, predicates, problems).compile(previousDayLocation);
    }

    private Optional<AggregateSpec> compile(String previousDayLocation)
    {
        Aggregation aggregation = rule.aggregation();
        List<String> groupBy = new ArrayList<>();
        for (Aggregation.FieldReference field : aggregation.groupBy()) {
            resolve(field.name(), field.position()).ifPresent(groupBy::add);
        }
        for (Measure measure : aggregation.measures()) {
            MeasureExpression expression = measure.expression();
            if (expression instanceof MeasureExpression.Aggregate aggregate) {
                aggregate(measure.name(), aggregate, false);
            }
            else {
                measures.add(new AggregateSpec.MeasureSpec(measure.name(), "expression", null, null, null, expression(expression, measure.name()), false));
            }
        }
        AggregateSpec.Expression having = expression(aggregation.having(), "having");
        if (failed) {
            return Optional.empty();
        }
        boolean crossesMidnight = aggregation.window().sliding() && aggregation.previousDay() == PreviousDay.READ;
        int historyDays = aggregation.history() == null ? 0 : (int) aggregation.history().toDays();
        return Optional.of(new AggregateSpec(groupBy, aggregation.window().size().toSeconds(), aggregation.window().slide().toSeconds(), measures, having,
                aggregation.samples(), crossesMidnight ? previousDayLocation : null, historyDays));
    }

    private AggregateSpec.Expression expression(MeasureExpression expression, String owner)
    {
        if (expression instanceof MeasureExpression.Aggregate aggregate) {
            String name = "_" + owner + "_" + (measures.size() + 1);
            aggregate(name, aggregate, true);
            return AggregateSpec.Expression.measure(name);
        }
        if (expression instanceof MeasureExpression.Reference reference) {
            return AggregateSpec.Expression.measure(reference.measure());
        }
        if (expression instanceof MeasureExpression.Number number) {
            return AggregateSpec.Expression.number(number.value());
        }
        if (expression instanceof MeasureExpression.Ratio ratio) {
            return AggregateSpec.Expression.of("divide", expression(ratio.numerator(), owner), expression(ratio.denominator(), owner));
        }
        if (expression instanceof MeasureExpression.Not not) {
            return AggregateSpec.Expression.of("not", expression(not.child(), owner));
        }
        MeasureExpression.Binary binary = (MeasureExpression.Binary) expression;
        return AggregateSpec.Expression.of(binary.operator().name().toLowerCase(Locale.ROOT), expression(binary.left(), owner), expression(binary.right(), owner));
    }

    private void aggregate(String name, MeasureExpression.Aggregate aggregate, boolean hidden)
    {
        Function function = aggregate.function();
        String field = null;
        if (function.overHistory()) {
            field = aggregate.field();
        }
        else if (function.takesField()) {
            Optional<String> raw = resolve(aggregate.field(), aggregate.position());
            if (raw.isEmpty()) {
                return;
            }
            field = raw.get();
            String type = source.typeOf(field);
            boolean numeric = type.equals("long") || type.equals("double");
            switch (function) {
                case SUM, AVG, STDDEV, PERCENTILE -> {
                    if (!numeric) {
                        error(aggregate.position(), function.keyword() + "(" + aggregate.field() + ") needs a number field; '" + aggregate.field() + "' is "
                                + type + " in source " + source.name() + "; expected a long or double field (count_distinct counts values of any type)");
                        return;
                    }
                }
                case MIN, MAX -> {
                    if (!numeric && !type.equals("timestamp")) {
                        error(aggregate.position(), function.keyword() + "(" + aggregate.field() + ") needs a number or time field; '" + aggregate.field() + "' is "
                                + type + " in source " + source.name());
                        return;
                    }
                }
                case ENTROPY -> {
                    if (!type.equals("string")) {
                        error(aggregate.position(), "entropy(" + aggregate.field() + ") measures the characters of a text value; '" + aggregate.field() + "' is "
                                + type + " in source " + source.name() + "; expected a string field");
                        return;
                    }
                }
                default -> { }
            }
        }
        if (function.overHistory() && lookedBackOn(field).map(MeasureExpression.Aggregate::function).filter(Function::overHistory).isPresent()) {
            error(aggregate.position(), function.keyword() + "(" + field + "): '" + field + "' is itself a history measure; expected a measure over the day's records");
            return;
        }
        if (function == Function.INTERVAL_CV && (source.timeField() == null || source.typeOf(source.timeField()) == null)) {
            error(aggregate.position(), "interval_cv needs the time of each record, and source " + source.name() + " declares no time_field");
            return;
        }
        Predicate filter = aggregate.filter() == null ? null : predicates.compileFilter(aggregate.filter());
        measures.add(new AggregateSpec.MeasureSpec(name, function.keyword(), field, aggregate.parameter(), filter, null, hidden));
    }

    /** The aggregate a history measure looks back on, when that measure is an aggregate. */
    private Optional<MeasureExpression.Aggregate> lookedBackOn(String measureName)
    {
        return rule.aggregation().measures().stream().filter(measure -> measure.name().equals(measureName)).findFirst()
                .map(Measure::expression).filter(MeasureExpression.Aggregate.class::isInstance).map(MeasureExpression.Aggregate.class::cast);
    }

    private Optional<String> resolve(String name, SourcePosition position)
    {
        Optional<String> resolved = predicates.resolve(name, position);
        failed |= resolved.isEmpty();
        return resolved;
    }

    private void error(SourcePosition position, String message)
    {
        failed = true;
        problems.accept(new Problem(position, rule.id(), message));
    }
}
