package io.dragnet.sharing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Traffic Light Protocol 2.0 levels, from the most shareable to the least, with their official STIX 2.1 marking
 * definition ids and MISP tags.
 */
public enum Tlp
{
    CLEAR("clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
    GREEN("green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
    AMBER("amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
    AMBER_STRICT("amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
    RED("red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");

    /** The STIX extension that carries a TLP 2.0 level in a marking definition. */
    public static final String STIX_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    private final String label;
    private final String stixMarkingId;

    Tlp(String label, String stixMarkingId)
    {
        this.label = label;
        this.stixMarkingId = stixMarkingId;
    }

    public String label()
    {
        return label;
    }

    public String stixMarkingId()
    {
        return stixMarkingId;
    }

    public String stixName()
    {
        return "TLP:" + label.toUpperCase(Locale.ROOT);
    }

    public String mispTag()
    {
        return "tlp:" + label;
    }

    /** Whether information marked {@code this} may go to a recipient cleared up to {@code ceiling}. */
    public boolean allowedUnder(Tlp ceiling)
    {
        return compareTo(ceiling) <= 0;
    }

    /** Parses "amber", "TLP:AMBER", "tlp:amber+strict" and the like. */
    public static Optional<Tlp> parse(String text)
    {
        String label = text.trim().toLowerCase(Locale.ROOT);
        if (label.startsWith("tlp:") || label.startsWith("tlp.")) {
            label = label.substring(4);
        }
        String wanted = label.equals("white") ? "clear" : label;
        return Arrays.stream(values()).filter(level -> level.label.equals(wanted)).findFirst();
    }
}
