package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRegexLiterals
{
    private static RegexLiterals folded(String pattern)
    {
        return RegexLiterals.of(pattern, false);
    }

    @Test
    void aPrefixIsLiteralTextAtThePatternsVeryStart()
    {
        assertThat(folded("build/12[0-9] agent")).isEqualTo(new RegexLiterals("build/12", "build/12"));
        assertThat(folded("abc*d")).as("an optional character ends the prefix").isEqualTo(new RegexLiterals("ab", "ab"));
        assertThat(folded("abc+d")).as("a repeated one is still there once").isEqualTo(new RegexLiterals("abc", "abc"));
        assertThat(folded("a\\.b")).isEqualTo(new RegexLiterals("a.b", "a.b"));
        assertThat(folded("(?s)abc.")).as("leading flags are no text").isEqualTo(new RegexLiterals("abc", "abc"));
        assertThat(folded("^abc")).as("an anchor before the text: no prefix to test anchored").isEqualTo(new RegexLiterals("", "abc"));
        assertThat(folded("\\babc")).isEqualTo(new RegexLiterals("", "abc"));
    }

    @Test
    void theRequiredTextIsTheLongestRunNoQuantifierMakesOptional()
    {
        assertThat(folded("(?s)^.*/31\\.exe.q=1$")).isEqualTo(new RegexLiterals("", "/31.exe"));
        assertThat(folded("[a-c]x{2,}yz\\d+")).isEqualTo(new RegexLiterals("", "yz"));
        assertThat(folded("a{0,3}bc?d")).isEqualTo(new RegexLiterals("", "b"));
        assertThat(folded("[]x]abcd")).as("a class may start with ]").isEqualTo(new RegexLiterals("", "abcd"));
        assertThat(folded("x*?abc")).as("a lazy quantifier").isEqualTo(new RegexLiterals("", "abc"));
    }

    @Test
    void readingStopsAtWhatItDoesNotUnderstandAndKeepsWhatItFound()
    {
        assertThat(folded("abc|xyz")).isEqualTo(new RegexLiterals("", ""));
        assertThat(folded("ab(cdef)")).isEqualTo(new RegexLiterals("ab", "ab"));
        assertThat(folded("ab\\pLcdef")).isEqualTo(new RegexLiterals("ab", "ab"));
        assertThat(folded("ab\\Qcdef\\E")).isEqualTo(new RegexLiterals("ab", "ab"));
        assertThat(folded("abé")).isEqualTo(new RegexLiterals("ab", "ab"));
        assertThat(folded("(?:abc)")).isEqualTo(new RegexLiterals("", ""));
        assertThat(folded("ab{,2}")).as("not a repetition RE2 knows").isEqualTo(new RegexLiterals("a", "a"));
    }

    @Test
    void inlineCaseInsensitivityOnlyMattersForACasedPattern()
    {
        assertThat(folded("(?i)abc")).isEqualTo(new RegexLiterals("abc", "abc"));
        assertThat(RegexLiterals.of("(?i)abc", true)).isEqualTo(new RegexLiterals("", ""));
        assertThat(RegexLiterals.of("(?s)abc", true)).isEqualTo(new RegexLiterals("abc", "abc"));
        assertThat(RegexLiterals.of("ab(?i)cd", true)).as("RE2 applies a quantifier after inline flags to the character before them")
                .isEqualTo(new RegexLiterals("a", "a"));
    }
}
