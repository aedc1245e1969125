package io.dragnet.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The compiled condition of one rule over one source's fields, after field mapping. A tree of data: the
 * Spark backend turns it into Column expressions with literals bound as values, never into SQL text.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Predicate.And.class, name = "and"),
        @JsonSubTypes.Type(value = Predicate.Or.class, name = "or"),
        @JsonSubTypes.Type(value = Predicate.Not.class, name = "not"),
        @JsonSubTypes.Type(value = Predicate.FieldMatch.class, name = "field"),
        @JsonSubTypes.Type(value = Predicate.IocMatch.class, name = "ioc"),
        @JsonSubTypes.Type(value = Predicate.KeywordMatch.class, name = "keywords"),
        @JsonSubTypes.Type(value = Predicate.Always.class, name = "always"),
})
public sealed interface Predicate
{
    record And(List<Predicate> children) implements Predicate
    {
        public And
        {
            children = List.copyOf(children);
        }
    }

    record Or(List<Predicate> children) implements Predicate
    {
        public Or
        {
            children = List.copyOf(children);
        }
    }

    record Not(Predicate child) implements Predicate
    {
        public Not
        {
            requireNonNull(child, "child is null");
        }
    }

    /**
     * A field condition. Values are strings as written in the rule; the backend converts them to the field's type.
     *
     * @param operator equals, contains, startswith, endswith, regex, cidr, gt, gte, lt, lte, exists
     * @param all true when every value must match (Sigma's {@code |all}); otherwise any value matches
     * @param cased true for case-sensitive comparison; rules are case-insensitive by default
     */
    record FieldMatch(String field, String operator, List<String> values, boolean all, boolean cased) implements Predicate
    {
        public FieldMatch
        {
            requireNonNull(field, "field is null");
            requireNonNull(operator, "operator is null");
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /** True when any of the fields holds a value of the IoC table (exact, CIDR containment or domain suffix by the table's kind). */
    record IocMatch(List<String> fields, String table) implements Predicate
    {
        public IocMatch
        {
            fields = List.copyOf(fields);
            requireNonNull(table, "table is null");
        }
    }

    /** True when the field contains any keyword of the table (multi-pattern matching, not chains of LIKE). */
    record KeywordMatch(String field, String table, boolean cased) implements Predicate
    {
        public KeywordMatch
        {
            requireNonNull(field, "field is null");
            requireNonNull(table, "table is null");
        }
    }

    /** Matches every row; used for rules whose only condition is a verdict filter or time window. */
    record Always() implements Predicate {}
}
