package io.dragnet.nids.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TestPlainDecimal
{
    @Test
    void givesTheBitsDoubleParseDoubleGivesForEveryTextItTakes()
    {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            double magnitude = Math.pow(10, random.nextInt(30) - 12);
            double value = (random.nextBoolean() ? -1 : 1) * random.nextDouble() * magnitude;
            texts.add(Double.toString(value));
            texts.add(Long.toString(random.nextLong() >> random.nextInt(64)));
            // decimals of up to 17 digits with the point anywhere: some inside the fast path, some just beyond it
            String digits = Long.toString(Math.abs(random.nextLong()) % 100_000_000_000_000_000L);
            int point = random.nextInt(digits.length());
            texts.add(digits.substring(0, point + 1) + "." + digits.substring(point + 1) + "0".repeat(random.nextInt(2)));
            texts.add(digits.substring(0, 1 + random.nextInt(digits.length())) + "E" + (random.nextInt(60) - 30));
        }
        int taken = 0;
        for (String text : texts) {
            double fast = PlainDecimal.parse(("x," + text + ",y").getBytes(StandardCharsets.US_ASCII), 2, 2 + text.length());
            if (!Double.isNaN(fast)) {
                taken++;
                double expected = text.indexOf('.') < 0 && text.indexOf('E') < 0 ? Long.parseLong(text) : Double.parseDouble(text);
                assertThat(Double.doubleToRawLongBits(fast)).as(text).isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
        assertThat(taken).as("texts in the fast path").isGreaterThan(texts.size() / 4);
    }

    @Test
    void leavesWhatItDoesNotTakeToAFullParser()
    {
        for (String text : List.of("", "-", ".5", "5.", "+5", "1e", "1e+", "1E1000", "NaN", "Infinity", "0x10", "1.2.3", "1,5", "12a",
                "1234567890123456", "1.000000000000000", "1e23", "1e-23", "4.0E-6x", "5é")) {
            assertThat(parse(text)).as(text).isNaN();
        }
    }

    @Test
    void readsTheFormsTheReplayerWrites()
    {
        assertThat(parse("42")).isEqualTo(42.0);
        assertThat(parse("-0")).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(parse("-0.0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(parse("250000.0006")).isEqualTo(250000.0006);
        assertThat(parse("4.0E-6")).isEqualTo(4.0E-6);
        assertThat(parse("1.5e+3")).isEqualTo(1500.0);
        assertThat(parse("0.000123")).isEqualTo(0.000123);
    }

    private static double parse(String text)
    {
        return PlainDecimal.parse(text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length);
    }
}
