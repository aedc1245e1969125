package io.dragnet.rules.internal;

import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.SourcePosition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestConditionParser
{
    private static final SourcePosition START = new SourcePosition("r.yaml", 9, 14);

    private static String parse(String text)
            throws ConditionParser.ConditionException
    {
        return render(ConditionParser.parse(text, START));
    }

    private static String render(Condition condition)
    {
        if (condition instanceof Condition.And and) {
            return "and" + and.children().stream().map(TestConditionParser::render).toList();
        }
        if (condition instanceof Condition.Or or) {
            return "or" + or.children().stream().map(TestConditionParser::render).toList();
        }
        if (condition instanceof Condition.Not not) {
            return "not(" + render(not.child()) + ")";
        }
        if (condition instanceof Condition.Reference reference) {
            return reference.selection();
        }
        Condition.Quantified quantified = (Condition.Quantified) condition;
        return (quantified.all() ? "all of " : "1 of ") + quantified.pattern();
    }

    @Test
    public void notBindsTighterThanAndTighterThanOr()
            throws Exception
    {
        assertThat(parse("a or b and not c")).isEqualTo("or[a, and[b, not(c)]]");
        assertThat(parse("not a and b")).isEqualTo("and[not(a), b]");
    }

    @Test
    public void parenthesesGroup()
            throws Exception
    {
        assertThat(parse("(a or b) and not (c or d)")).isEqualTo("and[or[a, b], not(or[c, d])]");
    }

    @Test
    public void quantifiers()
            throws Exception
    {
        assertThat(parse("1 of sel_* and all of them")).isEqualTo("and[1 of sel_*, all of them]");
        assertThat(parse("any of filter_* or a")).isEqualTo("or[1 of filter_*, a]");
    }

    @Test
    public void keywordsAreCaseInsensitive()
            throws Exception
    {
        assertThat(parse("a AND NOT b OR c")).isEqualTo("or[and[a, not(b)], c]");
    }

    @Test
    public void errorsPointAtTheToken()
    {
        assertThatThrownBy(() -> parse("a and and b"))
                .isInstanceOfSatisfying(ConditionParser.ConditionException.class, e -> assertThat(e.position()).isEqualTo(new SourcePosition("r.yaml", 9, 20)))
                .hasMessage("unexpected 'and' in condition; expected a selection name, 'not', '(' or '1 of'/'all of'");
        assertThatThrownBy(() -> parse("a b"))
                .isInstanceOfSatisfying(ConditionParser.ConditionException.class, e -> assertThat(e.position().column()).isEqualTo(16))
                .hasMessage("unexpected 'b' in condition; expected 'and', 'or' or the end");
        assertThatThrownBy(() -> parse("(a or b"))
                .hasMessage("missing ')' for the '(' at column 14");
        assertThatThrownBy(() -> parse("1 sel_*"))
                .hasMessage("expected 'of' after '1' (as in '1 of sel_*' or 'all of them')");
        assertThatThrownBy(() -> parse("  "))
                .hasMessage("condition is empty; expected an expression such as 'selection and not filter'");
        assertThatThrownBy(() -> parse("a | b"))
                .hasMessage("unexpected '|' in condition; expected 'and', 'or' or the end");
    }

    @Test
    public void selectionPatterns()
    {
        assertThat(Selections.matching("sel_*", java.util.List.of("sel_a", "filter", "sel_b", "selb"))).containsExactly("sel_a", "sel_b");
        assertThat(Selections.matching("them", java.util.List.of("x", "y"))).containsExactly("x", "y");
        assertThat(Selections.matching("a.b*", java.util.List.of("a.bc", "axbc"))).containsExactly("a.bc");
    }
}
