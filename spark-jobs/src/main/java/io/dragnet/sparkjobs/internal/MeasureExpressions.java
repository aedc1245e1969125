package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetException;

import java.util.Map;

/**
 * Evaluates an aggregate expression (a derived measure or {@code having}) over the measures of one (group, window),
 * with SQL's three-valued logic: division by 0 and arithmetic or comparison with null give null, {@code false and null}
 * is false, {@code true or null} is true. A {@code having} that is null is not a hit.
 */
public final class MeasureExpressions
{
    private MeasureExpressions() {}

    /** A number (Double), a truth value (Boolean) or null. */
    public static Object evaluate(AggregateSpec.Expression expression, Map<String, Double> measures)
    {
        return switch (expression.op()) {
            case "measure" -> measures.get(expression.measure());
            case "number" -> expression.number();
            case "and" -> {
                Boolean left = truth(evaluate(expression.args().get(0), measures));
                if (Boolean.FALSE.equals(left)) {
                    yield false;
                }
                Boolean right = truth(evaluate(expression.args().get(1), measures));
                yield Boolean.FALSE.equals(right) ? Boolean.FALSE : left == null || right == null ? null : Boolean.TRUE;
            }
            case "or" -> {
                Boolean left = truth(evaluate(expression.args().get(0), measures));
                if (Boolean.TRUE.equals(left)) {
                    yield true;
                }
                Boolean right = truth(evaluate(expression.args().get(1), measures));
                yield Boolean.TRUE.equals(right) ? Boolean.TRUE : left == null || right == null ? null : Boolean.FALSE;
            }
            case "not" -> {
                Boolean value = truth(evaluate(expression.args().get(0), measures));
                yield value == null ? null : !value;
            }
            case "gt", "gte", "lt", "lte", "eq", "ne" -> {
                Double left = number(evaluate(expression.args().get(0), measures));
                Double right = number(evaluate(expression.args().get(1), measures));
                if (left == null || right == null) {
                    yield null;
                }
                int compared = Double.compare(left, right);
                yield switch (expression.op()) {
                    case "gt" -> left > right;
                    case "gte" -> left >= right;
                    case "lt" -> left < right;
                    case "lte" -> left <= right;
                    case "eq" -> compared == 0 || left.doubleValue() == right.doubleValue();
                    default -> !(compared == 0 || left.doubleValue() == right.doubleValue());
                };
            }
            case "add", "subtract", "multiply", "divide" -> {
                Double left = number(evaluate(expression.args().get(0), measures));
                Double right = number(evaluate(expression.args().get(1), measures));
                if (left == null || right == null) {
                    yield null;
                }
                yield switch (expression.op()) {
                    case "add" -> left + right;
                    case "subtract" -> left - right;
                    case "multiply" -> left * right;
                    default -> right == 0 ? null : left / right;
                };
            }
            default -> throw DragnetException.user("aggregate expression operator '" + expression.op() + "' is not known");
        };
    }

    /** True only when the expression evaluates to true. */
    public static boolean holds(AggregateSpec.Expression expression, Map<String, Double> measures)
    {
        return Boolean.TRUE.equals(truth(evaluate(expression, measures)));
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
