package io.dragnet.sparkjobs.internal;

import com.google.re2j.Pattern;
import io.dragnet.contracts.RuleRegex;
import org.apache.spark.sql.api.java.UDF1;

import static java.util.Objects.requireNonNull;

/** A rule's {@code re} test in linear time: true when the pattern is found anywhere in the text (see {@link RuleRegex}). */
public final class RegexUdf
        implements UDF1<String, Boolean>
{
    private final String pattern;
    private final boolean cased;
    private transient Pattern compiled;

    public RegexUdf(String pattern, boolean cased)
    {
        this.pattern = requireNonNull(pattern, "pattern is null");
        this.cased = cased;
    }

    @Override
    public Boolean call(String text)
    {
        if (text == null) {
            return false;
        }
        if (compiled == null) {
            compiled = RuleRegex.compile(pattern, cased);
        }
        return compiled.matcher(text).find();
    }
}
