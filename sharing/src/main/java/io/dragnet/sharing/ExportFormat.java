package io.dragnet.sharing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum ExportFormat
{
    STIX("json"),
    MISP("json"),
    CSV("csv");

    private final String extension;

    ExportFormat(String extension)
    {
        this.extension = extension;
    }

    public String extension()
    {
        return extension;
    }

    public static Optional<ExportFormat> parse(String text)
    {
        return Arrays.stream(values()).filter(format -> format.name().equalsIgnoreCase(text.trim())).findFirst()
                .or(() -> Optional.ofNullable(text.trim().toLowerCase(Locale.ROOT).equals("stix2") ? STIX : null));
    }
}
