package io.dragnet.sparkjobs.internal;

import com.google.re2j.Pattern;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RuleRegex;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

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
        List<RuleMatcher.Rule> rules = List.of(
                new RuleMatcher.Rule("folded", field("uri", "regex", false, "basket[0-9]")),
                new RuleMatcher.Rule("cased", field("uri", "regex", true, "Basket[0-9]")));
        assertThat(match(rules, "x BASKET7", 1L, null)).containsExactly("folded");
        assertThat(match(rules, "x Basket7", 1L, null)).containsExactly("folded", "cased");
        // RE2 folds the long s (U+017F) to s; lower-casing does not, so non-ASCII text is tested whole
        assertThat(match(rules, "x ba\u017Fket7", 1L, null)).containsExactly("folded");
        assertThat(match(rules, "Basket Basketx BASKET9", 1L, null)).as("tested at every place the prefix occurs, not only the first").containsExactly("folded");
        assertThat(match(rules, "Basket Basketx BASKET9 Basket3", 1L, null)).containsExactly("folded", "cased");
        assertThat(match(rules, "Basket", 1L, null)).as("the prefix alone").isEmpty();
        List<RuleMatcher.Rule> ending = List.of(new RuleMatcher.Rule("ends", field("uri", "regex", true, "ab[0-9]$")), new RuleMatcher.Rule("word", field("uri", "regex", true, "ab\\b")));
        assertThat(match(ending, "ab1 ab ab2", 1L, null)).containsExactly("ends", "word");
        assertThat(match(ending, "ab1 abc", 1L, null)).isEmpty();
        List<RuleMatcher.Rule> inside = List.of(new RuleMatcher.Rule("wildcard", field("uri", "regex", false, "(?s)^.*/31\\.exe.q=1$")));
        assertThat(match(inside, "/A/31.EXE?q=1", 1L, null)).containsExactly("wildcard");
        assertThat(match(inside, "/A/31.exe?q=12", 1L, null)).isEmpty();
        assertThat(match(inside, "/A/31.ex?q=1", 1L, null)).isEmpty();
    }

    @Test
    void aRegexFindsWhatRe2FindsInTheWholeTextWhateverLiteralsItIsPrefilteredBy()
    {
        String[] atoms = {"a", "b", "A", "x", "/", "\\.", ".", "[a-b]", "\\d", "\\w", "^", "$", "\\b", "1", "é", "(?s)", "(?i)", "(a)", "K", "ſ", " ", "[^a]", "-"};
        String[] quantifiers = {"", "", "", "*", "+", "?", "{2}", "{0,1}", "{1,}", "*?", "{,2}"};
        String[] pieces = {"a", "b", "A", "x", "/", ".", "1", "é", "K", "ſ", "s", " ", "ab", "xa.", "-", "\u212a", "S"};
        Random random = new Random(35);
        int hits = 0;
        for (int round = 0; round < 2_000; round++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                pattern.append(atoms[random.nextInt(atoms.length)]).append(quantifiers[random.nextInt(quantifiers.length)]);
            }
            boolean cased = random.nextBoolean();
            if (RuleRegex.problem(pattern.toString()).isPresent()) {
                continue;
            }
            Pattern re2 = RuleRegex.compile(pattern.toString(), cased);
            RuleMatcher matcher = new RuleMatcher(List.of(new RuleMatcher.Rule("regex", field("uri", "regex", cased, pattern.toString()))), SCHEMA);
            for (int t = 0; t < 40; t++) {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(8); i > 0; i--) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                boolean expected = re2.matcher(text.toString()).find();
                hits += expected ? 1 : 0;
                assertThat(matcher.call(RowFactory.create(text.toString(), 1L, null))).as("/%s/ (cased %s) over '%s'", pattern, cased, text).hasSize(expected ? 1 : 0);
            }
        }
        assertThat(hits).as("the patterns match some texts").isGreaterThan(5_000);
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
