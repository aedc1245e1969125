package io.dragnet.rules.sigma;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TestSigmaString
{
    @Test
    void wildcardsAndEscapes()
    {
        assertThat(SigmaString.parse("a*b?c").parts()).containsExactly(new SigmaString.Text("a"), SigmaString.Wildcard.ANY_RUN, new SigmaString.Text("b"),
                SigmaString.Wildcard.ONE, new SigmaString.Text("c"));
        assertThat(SigmaString.parse("a\\*b\\?c").hasWildcards()).isFalse();
        assertThat(SigmaString.parse("a\\*b\\?c").text()).isEqualTo("a*b?c");
        assertThat(SigmaString.parse("C:\\\\Windows").text()).isEqualTo("C:\\Windows");
        // a backslash before any other character is a plain backslash
        assertThat(SigmaString.parse("C:\\Windows\\").text()).isEqualTo("C:\\Windows\\");
        assertThat(SigmaString.parse("a\\\\*").parts()).containsExactly(new SigmaString.Text("a\\"), SigmaString.Wildcard.ANY_RUN);
        assertThat(SigmaString.parse("a\\*b?").toString()).isEqualTo("a\\*b?");
    }

    @Test
    void shapes()
    {
        assertThat(SigmaString.parse("abc").shape()).isEqualTo(SigmaString.Shape.EQUALS);
        assertThat(SigmaString.parse("").shape()).isEqualTo(SigmaString.Shape.EQUALS);
        assertThat(SigmaString.parse("*abc*").shape()).isEqualTo(SigmaString.Shape.CONTAINS);
        assertThat(SigmaString.parse("abc*").shape()).isEqualTo(SigmaString.Shape.STARTSWITH);
        assertThat(SigmaString.parse("*abc").shape()).isEqualTo(SigmaString.Shape.ENDSWITH);
        assertThat(SigmaString.parse("*a*c*").shape()).isEqualTo(SigmaString.Shape.PATTERN);
        assertThat(SigmaString.parse("a?c").shape()).isEqualTo(SigmaString.Shape.PATTERN);
        assertThat(SigmaString.parse("*").shape()).isEqualTo(SigmaString.Shape.PATTERN);
        assertThat(SigmaString.parse("abc").withLeadingRun().withTrailingRun().core()).isEqualTo("abc");
        assertThat(SigmaString.parse("*abc").withLeadingRun().shape()).isEqualTo(SigmaString.Shape.ENDSWITH);
    }

    @Test
    void regexMatchesWhatTheWildcardsMean()
    {
        Pattern pattern = Pattern.compile("(?s)^" + SigmaString.parse("*.exe?x*").regex(".*", ".") + "$");
        assertThat(List.of("a.exe1x", ".exeZx tail", "line\n.exe.x")).allMatch(text -> pattern.matcher(text).matches());
        assertThat(List.of("a.exex", "aXexe1x", "a.exe12x")).noneMatch(text -> pattern.matcher(text).matches());
        Pattern metacharacters = Pattern.compile("^" + SigmaString.parse("(a+b)[c]{2}|$^.\\\\").regex(".*", ".") + "$");
        assertThat(metacharacters.matcher("(a+b)[c]{2}|$^.\\").matches()).isTrue();
        assertThat(metacharacters.matcher("aab[c]{2}|$^.\\").matches()).isFalse();
    }

    @Test
    void base64OffsetsAreFoundInsideLongerEncodings()
    {
        List<String> variants = SigmaConverter.base64Offsets("powershell".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(variants).hasSize(3);
        for (String prefix : List.of("", "x", "xy", "xyz", "wxyz")) {
            String encoded = java.util.Base64.getEncoder().encodeToString((prefix + "powershell -enc").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(variants).as(prefix).anyMatch(encoded::contains);
        }
        // pySigma's figures for the same input
        assertThat(variants).containsExactly("cG93ZXJzaGVsb", "Bvd2Vyc2hlbG", "wb3dlcnNoZWxs");
    }
}
