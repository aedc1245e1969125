package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RuleRegex;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;

/**
 * The Spark backend of the predicate tree: each node becomes a Column expression whose literals are bound values
 * ({@code lit}), never SQL text. Every leaf is two-valued (null counts as no match), so {@code not} of a condition on a
 * missing field is true, as in Sigma. String comparisons are case-insensitive unless {@code cased}.
 */
public final class PredicateColumns
{
    private final String source;
    private final Map<String, FieldType> schema;
    private final Map<IocUse, String> iocColumns;
    private final Map<String, LoadedIocTable> tables;

    /**
     * @param schema field name → type of the source
     * @param iocColumns the indicator column added by {@link IocJoins} for each (table, field)
     * @param tables IoC tables by id, for keyword lists
     */
    public PredicateColumns(String source, Map<String, FieldType> schema, Map<IocUse, String> iocColumns, Map<String, LoadedIocTable> tables)
    {
        this.source = requireNonNull(source, "source is null");
        this.schema = Map.copyOf(schema);
        this.iocColumns = Map.copyOf(iocColumns);
        this.tables = Map.copyOf(tables);
    }

    /** @param ruleId named in errors */
    public Column compile(String ruleId, Predicate predicate)
    {
        if (predicate instanceof Predicate.And and) {
            return combine(ruleId, and.children(), Column::and, true);
        }
        if (predicate instanceof Predicate.Or or) {
            return combine(ruleId, or.children(), Column::or, false);
        }
        if (predicate instanceof Predicate.Not negated) {
            return not(compile(ruleId, negated.child()));
        }
        if (predicate instanceof Predicate.FieldMatch match) {
            return coalesce(fieldMatch(ruleId, match), lit(false));
        }
        if (predicate instanceof Predicate.IocMatch ioc) {
            return iocMatch(ruleId, ioc);
        }
        if (predicate instanceof Predicate.KeywordMatch keywords) {
            return keywordMatch(ruleId, keywords);
        }
        if (predicate instanceof Predicate.Always) {
            return lit(true);
        }
        throw new IllegalArgumentException("unknown predicate " + predicate);
    }

    private Column combine(String ruleId, List<Predicate> children, BinaryOperator<Column> operator, boolean identity)
    {
        Column result = null;
        for (Predicate child : children) {
            Column column = compile(ruleId, child);
            result = result == null ? column : operator.apply(result, column);
        }
        return result == null ? lit(identity) : result;
    }

    private FieldType type(String ruleId, String field)
    {
        FieldType type = schema.get(field);
        if (type == null) {
            throw DragnetException.user("rule " + ruleId + ": field '" + field + "' is not a field of source " + source + "; expected one of " + new java.util.TreeSet<>(schema.keySet()));
        }
        return type;
    }

    private Column fieldMatch(String ruleId, Predicate.FieldMatch match)
    {
        FieldType type = type(ruleId, match.field());
        Column field = Columns.field(match.field());
        String operator = match.operator().toLowerCase(Locale.ROOT);
        if (operator.equals("exists")) {
            boolean wanted = match.values().isEmpty() || !match.values().get(0).equalsIgnoreCase("false");
            return wanted ? field.isNotNull() : field.isNull();
        }
        if (match.values().isEmpty()) {
            throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "' operator " + operator + ": expected at least one value");
        }
        List<Column> leaves = new ArrayList<>();
        for (String value : match.values()) {
            leaves.add(leaf(ruleId, match, operator, type, field, value));
        }
        Column result = leaves.get(0);
        for (Column leaf : leaves.subList(1, leaves.size())) {
            result = match.all() ? result.and(leaf) : result.or(leaf);
        }
        return result;
    }

    private Column leaf(String ruleId, Predicate.FieldMatch match, String operator, FieldType type, Column field, String value)
    {
        boolean textual = type == FieldType.STRING || type == FieldType.IP;
        Column text = textual ? field : field.cast(DataTypes.StringType);
        Column folded = match.cased() ? text : lower(text);
        String needle = match.cased() ? value : value.toLowerCase(Locale.ROOT);
        return switch (operator) {
            case "equals" -> textual ? folded.equalTo(lit(needle)) : field.equalTo(lit(typed(ruleId, match, type, value)));
            case "contains" -> folded.contains(lit(needle));
            case "startswith" -> folded.startsWith(lit(needle));
            case "endswith" -> folded.endsWith(lit(needle));
            case "regex" -> regex(ruleId, match, text, value);
            case "cidr" -> cidr(ruleId, match, field, value);
            case "gt" -> compared(ruleId, match, type, field, value).gt(0);
            case "gte" -> compared(ruleId, match, type, field, value).geq(0);
            case "lt" -> compared(ruleId, match, type, field, value).lt(0);
            case "lte" -> compared(ruleId, match, type, field, value).leq(0);
            case "entropy_gt", "entropy_gte", "entropy_lt", "entropy_lte" -> entropyCompared(ruleId, match, operator, text, value);
            default -> throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "': operator '" + match.operator()
                    + "' is not supported; expected equals, contains, startswith, endswith, regex, cidr, gt, gte, lt, lte, entropy_gt, entropy_gte, entropy_lt, "
                    + "entropy_lte or exists");
        };
    }

    /** The character entropy of the text ({@link CharacterEntropy}) compared with a number. */
    private static Column entropyCompared(String ruleId, Predicate.FieldMatch match, String operator, Column text, String value)
    {
        double bound;
        try {
            bound = Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "' " + operator + ": expected a number of bits per character, got '" + value + "'");
        }
        Column entropy = udf(new CharacterEntropy(), DataTypes.DoubleType).apply(text);
        return switch (operator) {
            case "entropy_gt" -> entropy.gt(bound);
            case "entropy_gte" -> entropy.geq(bound);
            case "entropy_lt" -> entropy.lt(bound);
            default -> entropy.leq(bound);
        };
    }

    /** A column that is negative, zero or positive as the field compares to the value (typed comparison). */
    private Column compared(String ruleId, Predicate.FieldMatch match, FieldType type, Column field, String value)
    {
        Object literal = typed(ruleId, match, type, value);
        return org.apache.spark.sql.functions.when(field.gt(lit(literal)), lit(1))
                .when(field.lt(lit(literal)), lit(-1))
                .when(field.equalTo(lit(literal)), lit(0));
    }

    private Object typed(String ruleId, Predicate.FieldMatch match, FieldType type, String value)
    {
        try {
            return type.parse(value);
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "' is " + type.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
    }

    /** RE2/J instead of Spark's rlike (java.util.regex), whose backtracking a pattern like (.*a){12}x turns exponential. */
    private static Column regex(String ruleId, Predicate.FieldMatch match, Column text, String value)
    {
        RuleRegex.problem(value).ifPresent(problem -> {
            throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "': expected an RE2 regular expression, got '" + value + "': " + problem);
        });
        return udf(new RegexUdf(value, match.cased()), DataTypes.BooleanType).apply(text);
    }

    private Column cidr(String ruleId, Predicate.FieldMatch match, Column field, String value)
    {
        if (value.indexOf(':') >= 0) {
            try {
                Ipv6CidrUdf.check(value);
            }
            catch (IllegalArgumentException e) {
                throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "': " + e.getMessage());
            }
            return udf(new Ipv6CidrUdf(List.of(value)), DataTypes.BooleanType).apply(field.cast(DataTypes.StringType));
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(value);
        }
        catch (IllegalArgumentException e) {
            throw DragnetException.user("rule " + ruleId + ": field '" + match.field() + "': " + e.getMessage());
        }
        Column address = Columns.ipv4(field.cast(DataTypes.StringType));
        long last = cidr.network() + (1L << (32 - cidr.prefixLength())) - 1;
        return address.geq(lit(cidr.network())).and(address.leq(lit(last)));
    }

    private Column iocMatch(String ruleId, Predicate.IocMatch ioc)
    {
        if (!tables.containsKey(ioc.table())) {
            throw DragnetException.user("rule " + ruleId + ": IoC table '" + ioc.table() + "' is not among the job's iocTables " + tables.keySet());
        }
        Column result = lit(false);
        for (String field : ioc.fields()) {
            type(ruleId, field);
            String column = iocColumns.get(new IocUse(ioc.table(), field));
            if (column == null) {
                throw new IllegalStateException("no indicator column for " + ioc.table() + "/" + field);
            }
            result = result.or(Columns.field(column).isNotNull());
        }
        return result;
    }

    private Column keywordMatch(String ruleId, Predicate.KeywordMatch keywords)
    {
        type(ruleId, keywords.field());
        LoadedIocTable table = tables.get(keywords.table());
        if (table == null) {
            throw DragnetException.user("rule " + ruleId + ": keyword table '" + keywords.table() + "' is not among the job's iocTables " + tables.keySet());
        }
        UserDefinedFunction matcher = udf(new KeywordUdf(table.values(), keywords.cased()), DataTypes.BooleanType);
        return coalesce(matcher.apply(Columns.field(keywords.field()).cast(DataTypes.StringType)), lit(false));
    }

    /** Every (table, field) pair IocMatch nodes of the predicate refer to, in tree order. */
    public static void collectIocUses(Predicate predicate, java.util.Collection<IocUse> into)
    {
        if (predicate instanceof Predicate.And and) {
            and.children().forEach(child -> collectIocUses(child, into));
        }
        else if (predicate instanceof Predicate.Or or) {
            or.children().forEach(child -> collectIocUses(child, into));
        }
        else if (predicate instanceof Predicate.Not negated) {
            collectIocUses(negated.child(), into);
        }
        else if (predicate instanceof Predicate.IocMatch ioc) {
            ioc.fields().forEach(field -> into.add(new IocUse(ioc.table(), field)));
        }
    }
}
