package io.dragnet.rules.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Field modifiers written after the field name ({@code url.original|contains|all}). Modifiers change how values are
 * compared; they never produce query text.
 */
public enum Modifier
{
    CONTAINS, STARTSWITH, ENDSWITH, RE, CIDR, GT, GTE, LT, LTE, ALL, EXISTS, CASED,
    /** compares the Shannon character entropy of a text value (bits per character) with gt/gte/lt/lte */
    ENTROPY;

    public String keyword()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isComparison()
    {
        return switch (this) {
            case CONTAINS, STARTSWITH, ENDSWITH, RE, CIDR, GT, GTE, LT, LTE, EXISTS -> true;
            case ALL, CASED, ENTROPY -> false;
        };
    }

    public static List<String> keywords()
    {
        return Arrays.stream(values()).map(Modifier::keyword).toList();
    }
}
