package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The all-rules matcher on hand-made records, without Spark (its agreement with the Spark columns is TestRuleMatcherAgainstColumns). */
class TestRuleMatcher
{
    private static final Map<String, FieldType> SCHEMA = Map.of("uri", FieldType.STRING, "port", FieldType.LONG, "addr", FieldType.IP, "ts", FieldType.TIMESTAMP);

    private static Predicate field(String field, String operator, boolean cased, String... values)
    {
        return new Predicate.FieldMatch(field, operator, List.of(values), false, cased);
    }

    private static String[] match(List<RuleMatcher.Rule> rules, Object... values)
    {
        RuleMatcher matcher = new RuleMatcher(rules, SCHEMA);
        Row row = RowFactory.create(values);
        return matcher.call(row);
    }

    @Test
    void everyOperatorOverOneSharedPassPerField()
    {
        List<RuleMatcher.Rule> rules = List.of(
                new RuleMatcher.Rule("starts", field("uri", "startswith", false, "/ADMIN")),
                new RuleMatcher.Rule("ends", field("uri", "endswith", false, ".php")),
                new RuleMatcher.Rule("ends-not-start", field("uri", "endswith", false, "/admin")),
                new RuleMatcher.Rule("contains-cased", field("uri", "contains", true, "Login")),
                new RuleMatcher.Rule("contains-cased-miss", field("uri", "contains", true, "login")),
                new RuleMatcher.Rule("equals", field("uri", "equals", false, "/admin/LOGIN.php")),
                new RuleMatcher.Rule("all-of", new Predicate.FieldMatch("uri", "contains", List.of("admin", "nothere"), true, false)),
                new RuleMatcher.Rule("port", field("port", "equals", false, "443", "80")),
                new RuleMatcher.Rule("regex", field("uri", "regex", false, "^/admin/l[o]gin\\.PHP$")),
                new RuleMatcher.Rule("not-exists", new Predicate.Not(field("addr", "exists", false))));
        assertThat(match(rules, "/admin/Login.php", 80L, null))
                .containsExactly("starts", "ends", "contains-cased", "equals", "port", "regex", "not-exists");
        assertThat(match(rules, null, null, "10.0.0.1")).as("a missing field matches nothing, and its negation").isEmpty();
    }

    @Test
    void overlappingNeedlesAreAllSeen()
    {
        List<RuleMatcher.Rule> rules = List.of(
                new RuleMatcher.Rule("ends-ab", field("uri", "endswith", false, "ab")),
                new RuleMatcher.Rule("starts-aba", field("uri", "startswith", false, "aba")),
                new RuleMatcher.Rule("contains-bab", field("uri", "contains", false, "bab")),
                new RuleMatcher.Rule("empty", field("uri", "contains", false, "")));
        assertThat(match(rules, "ababab", 1L, null)).containsExactly("ends-ab", "starts-aba", "contains-bab", "empty");
    }

    @Test
    void aRegexRunsWhereItsLiteralPrefixIsAndStaysExactElsewhere()
    {
        assertThat(RuleMatcher.literalPrefix("build/12[0-9] agent")).isEqualTo("build/12");
        assertThat(RuleMatcher.literalPrefix("abc*d")).isEqualTo("ab");
        assertThat(RuleMatcher.literalPrefix("abc|xyz")).isEmpty();
        assertThat(RuleMatcher.literalPrefix("(?i)abc")).isEmpty();
        assertThat(RuleMatcher.literalPrefix("a\\.b")).isEqualTo("a");
        List<RuleMatcher.Rule> rules = List.of(
                new RuleMatcher.Rule("folded", field("uri", "regex", false, "basket[0-9]")),
                new RuleMatcher.Rule("cased", field("uri", "regex", true, "Basket[0-9]")));
        assertThat(match(rules, "x BASKET7", 1L, null)).containsExactly("folded");
        assertThat(match(rules, "x Basket7", 1L, null)).containsExactly("folded", "cased");
        // RE2 folds the long s (U+017F) to s; lower-casing does not, so non-ASCII text is tested whole
        assertThat(match(rules, "x ba\u017Fket7", 1L, null)).containsExactly("folded");
    }

    @Test
    void supportsOnlyWhatItEvaluatesAsTheColumnsDo()
    {
        assertThat(RuleMatcher.supports(field("uri", "contains", false, "a"), SCHEMA)).isTrue();
        assertThat(RuleMatcher.supports(field("port", "equals", false, "1"), SCHEMA)).isTrue();
        assertThat(RuleMatcher.supports(field("port", "gt", false, "1"), SCHEMA)).isFalse();
        assertThat(RuleMatcher.supports(field("addr", "cidr", false, "10.0.0.0/8"), SCHEMA)).isFalse();
        assertThat(RuleMatcher.supports(field("ts", "equals", false, "0"), SCHEMA)).isFalse();
        assertThat(RuleMatcher.supports(field("ts", "exists", false), SCHEMA)).isTrue();
        assertThat(RuleMatcher.supports(new Predicate.IocMatch(List.of("addr"), "bad"), SCHEMA)).isFalse();
        assertThat(RuleMatcher.supports(new Predicate.And(List.of(field("uri", "contains", false, "a"), new Predicate.KeywordMatch("uri", "words", false))), SCHEMA)).isFalse();
    }
}
