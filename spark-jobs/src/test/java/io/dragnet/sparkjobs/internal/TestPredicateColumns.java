package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Predicate;
import org.apache.spark.sql.Column;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How predicates become Column expressions (structure only; evaluation is in TestPredicateEvaluation). */
class TestPredicateColumns
{
    private static final Map<String, FieldType> SCHEMA = Map.of("id.resp_h", FieldType.IP, "id.resp_p", FieldType.LONG, "query", FieldType.STRING);
    private final PredicateColumns compiler = new PredicateColumns("zeek_dns", SCHEMA, Map.of(new IocUse("bad", "query"), "_ioc0"),
            Map.of("bad", new LoadedIocTable("bad", "domain", List.of())));

    @Test
    void literalsAreBoundValuesAndDottedNamesAreQuoted()
    {
        Column column = compiler.compile("r1", new Predicate.FieldMatch("id.resp_h", "equals", List.of("1.2.3.4' OR '1'='1"), false, false));
        String text = column.expr().toString();
        assertThat(text).as("the value is one lower-cased literal").isEqualTo("coalesce((lower('`id.resp_h`) = 1.2.3.4' or '1'='1), false)");
        org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute attribute = (org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute)
                column.expr().collect(new scala.PartialFunction<org.apache.spark.sql.catalyst.expressions.Expression, Object>()
                {
                    @Override
                    public boolean isDefinedAt(org.apache.spark.sql.catalyst.expressions.Expression expression)
                    {
                        return expression instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
                    }

                    @Override
                    public Object apply(org.apache.spark.sql.catalyst.expressions.Expression expression)
                    {
                        return expression;
                    }
                }).head();
        assertThat(attribute.nameParts().mkString("|")).as("one name part, not id → resp_h").isEqualTo("id.resp_h");
    }

    @Test
    void numericFieldsCompareAsNumbers()
    {
        Column column = compiler.compile("r1", new Predicate.FieldMatch("id.resp_p", "gte", List.of("1024"), false, false));
        assertThat(column.expr().toString()).contains("1024").doesNotContain("lower");
    }

    @Test
    void errorsNameRuleFieldAndExpectation()
    {
        assertThatThrownBy(() -> compiler.compile("r7", new Predicate.FieldMatch("qurey", "equals", List.of("x"), false, false)))
                .isInstanceOf(DragnetException.class)
                .hasMessage("rule r7: field 'qurey' is not a field of source zeek_dns; expected one of [id.resp_h, id.resp_p, query]");
        assertThatThrownBy(() -> compiler.compile("r7", new Predicate.FieldMatch("id.resp_p", "equals", List.of("http"), false, false)))
                .hasMessage("rule r7: field 'id.resp_p' is long: expected an integer, got 'http'");
        assertThatThrownBy(() -> compiler.compile("r7", new Predicate.FieldMatch("query", "regex", List.of("(unclosed"), false, false)))
                .hasMessageStartingWith("rule r7: field 'query': expected an RE2 regular expression, got '(unclosed'");
        assertThatThrownBy(() -> compiler.compile("r7", new Predicate.FieldMatch("query", "fuzzy", List.of("x"), false, false)))
                .hasMessageContaining("operator 'fuzzy' is not supported");
        assertThatThrownBy(() -> compiler.compile("r7", new Predicate.IocMatch(List.of("query"), "missing")))
                .hasMessageContaining("IoC table 'missing' is not among the job's iocTables");
    }

    @Test
    void iocUsesAreCollectedInTreeOrder()
    {
        java.util.LinkedHashSet<IocUse> uses = new java.util.LinkedHashSet<>();
        PredicateColumns.collectIocUses(new Predicate.And(List.of(
                new Predicate.Not(new Predicate.IocMatch(List.of("query"), "bad")),
                new Predicate.Or(List.of(new Predicate.IocMatch(List.of("id.resp_h", "query"), "ips"))))), uses);
        assertThat(uses).containsExactly(new IocUse("bad", "query"), new IocUse("ips", "id.resp_h"), new IocUse("ips", "query"));
    }
}
