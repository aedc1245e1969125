package io.dragnet.rules.internal;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Expands {@code sel_*} and {@code them} in quantified conditions to selection names, in written order. */
public final class Selections
{
    private Selections() {}

    public static List<String> matching(String pattern, Collection<String> names)
    {
        if (pattern.equals("them")) {
            return List.copyOf(names);
        }
        Pattern regex = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
        return names.stream().filter(name -> regex.matcher(name).matches()).toList();
    }
}
