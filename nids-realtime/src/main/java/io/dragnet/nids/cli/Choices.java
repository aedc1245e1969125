package io.dragnet.nids;

import java.util.List;

/** What an option given a value outside its choices is told. */
final class Choices
{
    private Choices() {}

    /** "expected a or b, got 'x'". */
    static String expected(List<String> choices, String got)
    {
        return "expected " + String.join(" or ", choices) + ", got '" + got + "'";
    }
}
