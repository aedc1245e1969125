package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

public class TestRuleRegex
{
    /**
     * java.util.regex needs about 3 s for this pattern over 28 characters and more than 85 s over 36, doubling with
     * every further character; linear-time matching answers at once. The bound is a hang detector, not a benchmark.
     */
    @Test
    public void catastrophicBacktrackingPatternAnswersAtOnce()
    {
        String text = "a".repeat(48);
        boolean found = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> RuleRegex.compile("(.*a){12}x", true).matcher(text).find());
        assertThat(found).isFalse();
        assertThat(RuleRegex.compile("(.*a){12}x", true).matcher(text + "x").find()).isTrue();
    }

    @Test
    public void caseAndFindSemantics()
    {
        assertThat(RuleRegex.compile("^_ldap\\._tcp", false).matcher("_LDAP._tcp.dc._msdcs.example").find()).isTrue();
        assertThat(RuleRegex.compile("^_ldap\\._tcp", true).matcher("_LDAP._tcp.dc._msdcs.example").find()).isFalse();
        assertThat(RuleRegex.compile("tcp", true).matcher("_ldap._tcp").find()).as("found anywhere unless anchored").isTrue();
    }

    @Test
    public void constructsOutsideRe2AreNamed()
    {
        assertThat(RuleRegex.problem("(a)\\1")).isPresent();
        assertThat(RuleRegex.problem("a(?=b)")).isPresent();
        assertThat(RuleRegex.problem("([a-z")).hasValueSatisfying(problem -> assertThat(problem).contains("missing closing ]"));
        assertThat(RuleRegex.problem("(?i)^[a-z0-9]{20,}\\.(com|net)$")).isEmpty();
    }
}
