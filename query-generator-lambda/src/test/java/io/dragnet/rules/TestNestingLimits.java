package io.dragnet.rules;

import io.dragnet.contracts.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile nesting gets a positioned error instead of a StackOverflowError, and what passes validation is a tree the
 * Spark step can evaluate; YAML anchors, which Jackson would hand over as their names, are refused.
 */
public class TestNestingLimits
{
    @TempDir
    Path home;

    private RuleFolder withMatch(String match)
    {
        return new RuleFolder(home).file("rules/r1.yaml", RuleFolder.rule("r1", "[zeek_conn]", match));
    }

    private static String condition(String condition)
    {
        return "  sel:\n    destination.port: 449\n  condition: " + condition + "\n";
    }

    @Test
    public void twoThousandParenthesesAreAPositionedError()
    {
        String deep = "(".repeat(2_000) + "sel" + ")".repeat(2_000);
        assertThat(withMatch(condition(deep)).problems()).containsExactly(
                "r1.yaml:9:64: rule r1: parentheses nest deeper than 50 levels here; expected at most 50 (split the condition into named selections)");
        assertThat(withMatch(condition("(".repeat(50) + "sel" + ")".repeat(50))).problems()).isEmpty();
    }

    @Test
    public void parenthesisedNotsNestToo()
    {
        assertThat(withMatch(condition("not (".repeat(1_000) + "sel" + ")".repeat(1_000))).problems()).singleElement().asString()
                .startsWith("r1.yaml:9:268: rule r1: parentheses nest deeper than 50 levels");
    }

    @Test
    public void yamlTenThousandDeepIsAPositionedError()
    {
        String flow = "id: r1\ntitle: t\ntopic: c2\nowner: o\nsources: [zeek_conn]\nmatch: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThat(new RuleFolder(home).file("rules/r1.yaml", flow).problems()).containsExactly(
                "r1.yaml:6:71: nested deeper than 64 levels here; expected at most 64");
        StringBuilder block = new StringBuilder("id: r1\nmatch:\n");
        for (int level = 1; level <= 1_000; level++) {
            block.append(" ".repeat(level)).append("k").append(level).append(":\n");
        }
        assertThat(new RuleFolder(home).file("rules/r1.yaml", block.toString()).problems()).singleElement().asString()
                .matches("r1\\.yaml:\\d+:\\d+: nested deeper than 64 levels here; expected at most 64");
    }

    @Test
    public void thousandsOfNotsCompileToTheSelectionOrItsNegation()
    {
        for (int nots : List.of(1_000, 1_001, 5_000, 5_001)) {
            Compilation compilation = withMatch(condition("not ".repeat(nots) + "sel")).compile();
            assertThat(compilation.problems()).isEmpty();
            Predicate predicate = compilation.jobs().get(0).spec().rules().get(0).predicate();
            Predicate selection = new Predicate.FieldMatch("id.resp_p", "equals", List.of("449"), false, false);
            assertThat(predicate).as(nots + " nots").isEqualTo(nots % 2 == 0 ? selection : new Predicate.Not(selection));
        }
        Compilation parenthesised = withMatch(condition("not (not (not (not sel)))")).compile();
        assertThat(parenthesised.jobs().get(0).spec().rules().get(0).predicate()).isEqualTo(new Predicate.FieldMatch("id.resp_p", "equals", List.of("449"), false, false));
    }

    @Test
    public void anchorsAndAliasesAreRefused()
    {
        assertThat(withMatch("  sel:\n    destination.port: &ports [447, 449]\n  other:\n    source.port: *ports\n  condition: sel and other\n").problems())
                .containsExactly("r1.yaml:8:23: YAML anchor here; expected every value written out (anchors '&', aliases '*' and merge keys '<<' are not supported)");
        assertThat(withMatch("  sel: &base\n    destination.port: 449\n  other:\n    <<: *base\n  condition: sel and other\n").problems())
                .singleElement().asString().startsWith("r1.yaml:7:8: YAML anchor here");
    }
}
