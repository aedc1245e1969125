package io.dragnet.nids.cli;

import java.util.List;

/** What an option given a value outside its choices is told. */
public final class Choices
{
    private Choices() {}

    /** "expected a or b, got 'x'". */
    public static String expected(List<String> choices, String got)
    {
        return "expected " + String.join(" or ", choices) + ", got '" + got + "'";
    }
}
