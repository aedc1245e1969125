package io.dragnet.rules.feeds;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a feed is served, and the IoC file format its snapshots are read as: HTTP(S) CSV or text lists, a STIX 2.1
 * bundle at a URL, a TAXII 2.1 collection's objects endpoint (its pages are kept as one STIX bundle), or a MISP feed
 * (its {@code manifest.json} and the event files it lists, kept as one MISP file of events).
 */
public enum FeedFormat
{
    CSV("csv", "csv"),
    TEXT("text", "txt"),
    STIX("stix", "json"),
    TAXII("stix", "json"),
    MISP_MANIFEST("misp", "json");

    private final String iocFormat;
    private final String extension;

    FeedFormat(String iocFormat, String extension)
    {
        this.iocFormat = iocFormat;
        this.extension = extension;
    }

    /** The name feeds.yaml uses: csv, text, stix, taxii, misp-manifest. */
    public String keyword()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The IoC file format a snapshot is read as (csv, text, stix or misp). */
    public String iocFormat()
    {
        return iocFormat;
    }

    public String extension()
    {
        return extension;
    }

    public static Optional<FeedFormat> of(String keyword)
    {
        return Arrays.stream(values()).filter(format -> format.keyword().equals(keyword)).findFirst();
    }

    public static List<String> keywords()
    {
        return Arrays.stream(values()).map(FeedFormat::keyword).toList();
    }
}
