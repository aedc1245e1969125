package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetException;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Evaluates an aggregate expression (a derived measure or {@code having}) over the measures of one (group, window),
 * with SQL's three-valued logic: division by 0 and arithmetic or comparison with null give null, {@code false and null}
 * is false, {@code true or null} is true. A {@code having} that is null is not a hit.
 */
public final class MeasureExpressions
{
    private MeasureExpressions() {}

    /**
     * An expression resolved once against the names of the measures it may read, so that evaluating it (once per rule
     * and window) neither matches operator names nor looks measures up by name.
     */
    @FunctionalInterface
    public interface Compiled
    {
        /** @param measures the value of the measure at an index of the names it was compiled against (null for none) */
        Object evaluate(IntFunction<Double> measures);
    }

    /** @param names the measures the expression may read, by index; a name not among them reads as null */
    public static Compiled compile(AggregateSpec.Expression expression, List<String> names)
    {
        String op = expression.op();
        return switch (op) {
            case "measure" -> {
                int index = names.indexOf(expression.measure());
                yield index < 0 ? measures -> null : measures -> measures.apply(index);
            }
            case "number" -> {
                Double number = expression.number();
                yield measures -> number;
            }
            case "and", "or" -> {
                Compiled left = compile(expression.args().get(0), names);
                Compiled right = compile(expression.args().get(1), names);
                // the truth value that decides the outcome whatever the other side is: false for and, true for or
                Boolean decisive = op.equals("or");
                yield measures -> {
                    Boolean l = truth(left.evaluate(measures));
                    if (decisive.equals(l)) {
                        return decisive;
                    }
                    Boolean r = truth(right.evaluate(measures));
                    return decisive.equals(r) ? decisive : l == null || r == null ? null : !decisive;
                };
            }
            case "not" -> {
                Compiled argument = compile(expression.args().get(0), names);
                yield measures -> {
                    Boolean value = truth(argument.evaluate(measures));
                    return value == null ? null : !value;
                };
            }
            case "gt", "gte", "lt", "lte", "eq", "ne", "add", "subtract", "multiply", "divide" -> {
                Compiled left = compile(expression.args().get(0), names);
                Compiled right = compile(expression.args().get(1), names);
                BiFunction<Double, Double, Object> operator = numeric(op);
                yield measures -> {
                    Double l = number(left.evaluate(measures));
                    Double r = number(right.evaluate(measures));
                    return l == null || r == null ? null : operator.apply(l, r);
                };
            }
            default -> measures -> {
                throw DragnetException.user("aggregate expression operator '" + op + "' is not known");
            };
        };
    }

    /** A comparison (a truth value) or arithmetic (a number, null for a division by 0) of two numbers that are not null. */
    private static BiFunction<Double, Double, Object> numeric(String op)
    {
        return switch (op) {
            case "gt" -> (left, right) -> left > right;
            case "gte" -> (left, right) -> left >= right;
            case "lt" -> (left, right) -> left < right;
            case "lte" -> (left, right) -> left <= right;
            case "eq" -> MeasureExpressions::equal;
            case "ne" -> (left, right) -> !equal(left, right);
            case "add" -> (left, right) -> left + right;
            case "subtract" -> (left, right) -> left - right;
            case "multiply" -> (left, right) -> left * right;
            default -> (left, right) -> right == 0 ? null : left / right;
        };
    }

    /**
     * The fewest records a window must hold for {@code condition} to be true, given the measures that count at most one
     * per record ({@code recordCounts}: counts and distinct counts): a comparison of one of them with a number needs
     * that many records, {@code and} what either side needs, {@code or} what the easier side needs; anything else one.
     */
    public static long fewestRecordsToHold(AggregateSpec.Expression condition, Set<String> recordCounts)
    {
        List<AggregateSpec.Expression> args = condition.args();
        return switch (condition.op()) {
            case "and" -> Math.max(fewestRecordsToHold(args.get(0), recordCounts), fewestRecordsToHold(args.get(1), recordCounts));
            case "or" -> Math.min(fewestRecordsToHold(args.get(0), recordCounts), fewestRecordsToHold(args.get(1), recordCounts));
            case "gt", "gte" -> fewestRecordsOfAtLeast(args.get(0), args.get(1), condition.op().equals("gt"), recordCounts);
            case "lt", "lte" -> fewestRecordsOfAtLeast(args.get(1), args.get(0), condition.op().equals("lt"), recordCounts);
            default -> 1;
        };
    }

    /** The fewest records for {@code counted} to be at least ({@code strictly} above) {@code bound}, when it counts records and the bound is a number. */
    private static long fewestRecordsOfAtLeast(AggregateSpec.Expression counted, AggregateSpec.Expression bound, boolean strictly, Set<String> recordCounts)
    {
        if (!counted.op().equals("measure") || !bound.op().equals("number") || !recordCounts.contains(counted.measure())) {
            return 1;
        }
        double least = strictly ? Math.floor(bound.number()) + 1 : Math.ceil(bound.number());
        return Math.max(1, (long) least);
    }

    private static boolean equal(Double left, Double right)
    {
        return Double.compare(left, right) == 0 || left.doubleValue() == right.doubleValue();
    }

    /** True only when the value is true (a number other than 0 counts as true). */
    public static boolean isTrue(Object value)
    {
        return Boolean.TRUE.equals(truth(value));
    }

    /** The value as a number, null for null; truth values count as 1 and 0 as in measure arithmetic. */
    public static Double number(Object value)
    {
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        return (Double) value;
    }

    private static Boolean truth(Object value)
    {
        if (value instanceof Double number) {
            return number != 0;
        }
        return (Boolean) value;
    }
}
