package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestIocTableFile
{
    @Test
    void writesTheHeaderThenOneRowPerEntryWithConfidenceAsAPlainNumber()
    {
        byte[] file = IocTableFile.write(List.of(
                new IocEntry("203.0.113.9", "feodo", 90.0, "2021-01-18 09:17:45", "TrickBot, C2"),
                new IocEntry("evil.example", null, 12.5, null, null),
                new IocEntry("bad.example", "rule:r1", null, null, null)));
        assertThat(new String(file, StandardCharsets.UTF_8)).isEqualTo("""
                value,feed,confidence,first_seen,description
                203.0.113.9,feodo,90,2021-01-18 09:17:45,"TrickBot, C2"
                evil.example,,12.5,,
                bad.example,rule:r1,,,
                """);
    }

    @Test
    void readGivesBackWhatWasWritten()
    {
        List<IocEntry> entries = List.of(
                new IocEntry("203.0.113.9", "feodo", 90.0, "2021-01-18 09:17:45", "TrickBot, \"quoted\"\nsecond line"),
                new IocEntry("evil.example", null, null, null, null));
        String file = new String(IocTableFile.write(entries), StandardCharsets.UTF_8);
        assertThat(IocTableFile.read(new StringReader(file), "t.csv")).isEqualTo(entries);
    }

    @Test
    void readAppliesTheValueFormAndNamesTheLineOfAValueItRefuses()
    {
        String file = "value,feed\nEvil.Example,a\n-,b\n";
        assertThat(IocTableFile.read(new StringReader("value\nEvil.Example\n"), "t.csv", value -> value.toLowerCase(Locale.ROOT)))
                .containsExactly(new IocEntry("evil.example", null, null, null, null));
        assertThatThrownBy(() -> IocTableFile.read(new StringReader(file), "t.csv", value -> {
            if (value.equals("-")) {
                throw new IllegalArgumentException("expected a domain name");
            }
            return value;
        }))
                .isInstanceOf(DragnetException.class)
                .hasMessage("t.csv:3: expected a domain name");
    }

    @Test
    void badFilesNameTheFileLineAndWhatWasExpected()
    {
        assertThatThrownBy(() -> IocTableFile.read(new StringReader("indicator\n1.2.3.4\n"), "ips.csv"))
                .isInstanceOf(DragnetException.class)
                .hasMessageStartingWith("ips.csv:1: expected a header with column 'value'");
        assertThatThrownBy(() -> IocTableFile.read(new StringReader("value,feed\n1.2.3.4,a\n ,b\n"), "ips.csv"))
                .hasMessage("ips.csv:3: expected a non-empty value");
        assertThatThrownBy(() -> IocTableFile.read(new StringReader("value,confidence\n1.2.3.4,high\n"), "ips.csv"))
                .hasMessage("ips.csv:2: column confidence: expected a number, got 'high'");
        assertThatThrownBy(() -> IocTableFile.read(new StringReader("value,confidence\n1.2.3.4,NaN\n"), "ips.csv"))
                .hasMessage("ips.csv:2: column confidence: expected a number, got 'NaN'");
    }

    @Test
    void confidenceIsAFiniteNumberOrNothing()
    {
        assertThat(IocTableFile.parseConfidence(" 75 ")).isEqualTo(75.0);
        assertThat(IocTableFile.parseConfidence("")).isNull();
        assertThat(IocTableFile.parseConfidence(null)).isNull();
        assertThatThrownBy(() -> IocTableFile.parseConfidence("Infinity")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> IocTableFile.parseConfidence("high")).isInstanceOf(NumberFormatException.class);
    }
}
