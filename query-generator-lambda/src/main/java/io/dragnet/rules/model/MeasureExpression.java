package io.dragnet.rules.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The expression language of measures and of {@code having}: aggregate functions over the kept records (each
 * optionally restricted by {@code where} to records matching a condition over the rule's selections), references to
 * other measures, numbers, arithmetic, comparisons and {@code and}/{@code or}/{@code not}.
 */
public sealed interface MeasureExpression
{
    SourcePosition position();

    /** Aggregate functions. */
    enum Function
    {
        /** records in the group and window */
        COUNT(false, false),
        /** distinct non-null values of a field */
        COUNT_DISTINCT(true, false),
        SUM(true, false),
        MIN(true, false),
        MAX(true, false),
        AVG(true, false),
        STDDEV(true, false),
        /** percentile(field, p), p in (0, 100] */
        PERCENTILE(true, true),
        /** coefficient of variation (standard deviation / mean) of the gaps between consecutive record times */
        INTERVAL_CV(false, false),
        /** the mean Shannon character entropy (bits per character) of a text field's values */
        ENTROPY(true, false),
        /** distinct values of a field that no earlier day of the same source held (within the rule's history) */
        COUNT_NEW(true, false),
        /** the mean of a measure over the same group's windows on earlier days (within the rule's history) */
        HISTORY_AVG(false, false),
        /** the largest value of a measure over the same group's windows on earlier days */
        HISTORY_MAX(false, false);

        private final boolean takesField;
        private final boolean takesParameter;

        Function(boolean takesField, boolean takesParameter)
        {
            this.takesField = takesField;
            this.takesParameter = takesParameter;
        }

        public boolean takesField()
        {
            return takesField;
        }

        public boolean takesParameter()
        {
            return takesParameter;
        }

        public boolean overHistory()
        {
            return this == HISTORY_AVG || this == HISTORY_MAX;
        }

        public String keyword()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        public static List<String> keywords()
        {
            return Arrays.stream(values()).map(Function::keyword).toList();
        }
    }

    enum Operator
    {
        AND("and"), OR("or"), GT(">"), GTE(">="), LT("<"), LTE("<="), EQ("=="), NE("!="), ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/");

        private final String symbol;

        Operator(String symbol)
        {
            this.symbol = symbol;
        }

        public String symbol()
        {
            return symbol;
        }

        public boolean logical()
        {
            return this == AND || this == OR;
        }

        public boolean comparison()
        {
            return switch (this) {
                case GT, GTE, LT, LTE, EQ, NE -> true;
                case AND, OR, ADD, SUBTRACT, MULTIPLY, DIVIDE -> false;
            };
        }
    }

    /**
     * {@code function(field, parameter) where filter}; field null for count and interval_cv; for history functions
     * {@code field} names the measure they look back on.
     */
    record Aggregate(Function function, String field, Double parameter, Condition filter, SourcePosition position)
            implements MeasureExpression
    {
        public Aggregate
        {
            requireNonNull(function, "function is null");
            requireNonNull(position, "position is null");
        }
    }

    /** {@code ratio(a, b)}: a / b, null when b is 0. */
    record Ratio(MeasureExpression numerator, MeasureExpression denominator, SourcePosition position)
            implements MeasureExpression
    {
        public Ratio
        {
            requireNonNull(numerator, "numerator is null");
            requireNonNull(denominator, "denominator is null");
            requireNonNull(position, "position is null");
        }
    }

    record Reference(String measure, SourcePosition position)
            implements MeasureExpression
    {
        public Reference
        {
            requireNonNull(measure, "measure is null");
            requireNonNull(position, "position is null");
        }
    }

    record Number(double value, SourcePosition position)
            implements MeasureExpression
    {
        public Number
        {
            requireNonNull(position, "position is null");
        }
    }

    record Binary(Operator operator, MeasureExpression left, MeasureExpression right, SourcePosition position)
            implements MeasureExpression
    {
        public Binary
        {
            requireNonNull(operator, "operator is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            requireNonNull(position, "position is null");
        }
    }

    record Not(MeasureExpression child, SourcePosition position)
            implements MeasureExpression
    {
        public Not
        {
            requireNonNull(child, "child is null");
            requireNonNull(position, "position is null");
        }
    }
}
