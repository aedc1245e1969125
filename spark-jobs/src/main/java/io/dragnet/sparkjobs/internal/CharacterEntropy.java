package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.api.java.UDF1;

import java.util.HashMap;
import java.util.Map;

/**
 * The Shannon entropy of a text's characters in bits per character: -Σ p(c) log2 p(c) over the distinct characters
 * (Unicode code points) of the text. "aaaa" is 0, "abcd" is 2; generated domain names score higher than words.
 * Null for a null text, 0 for an empty one. A rule's {@code |entropy} modifier and the {@code entropy} measure use it.
 */
public final class CharacterEntropy
        implements UDF1<String, Double>
{
    @Override
    public Double call(String text)
    {
        return text == null ? null : of(text);
    }

    public static double of(String text)
    {
        Map<Integer, Integer> counts = new HashMap<>();
        text.codePoints().forEach(point -> counts.merge(point, 1, Integer::sum));
        long total = counts.values().stream().mapToLong(Integer::longValue).sum();
        double entropy = 0;
        for (int count : counts.values()) {
            double share = (double) count / total;
            entropy -= share * Math.log(share) / Math.log(2);
        }
        return entropy == 0 ? 0 : entropy;
    }
}
