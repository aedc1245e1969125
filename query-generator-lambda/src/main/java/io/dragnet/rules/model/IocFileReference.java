package io.dragnet.rules.model;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An IoC list file named by a selection, resolved against the rule file's location.
 *
 * @param format text, csv, stix or misp; null to infer from the name and content
 * @param column CSV column holding the indicator; null to pick a known one (value, indicator, ioc, dst_ip, ip, url, domain)
 * @param feed feed name recorded with each indicator; null for the file name
 * @param freshness which CSV rows are current; {@link Freshness#WELL_KNOWN} unless the rule says otherwise
 */
public record IocFileReference(String path, String format, String column, String feed, Freshness freshness, SourcePosition position)
{
    public IocFileReference
    {
        requireNonNull(path, "path is null");
        requireNonNull(freshness, "freshness is null");
        requireNonNull(position, "position is null");
    }

    /** With the well-known feeds' status and last-seen columns. */
    public IocFileReference(String path, String format, String column, String feed, SourcePosition position)
    {
        this(path, format, column, feed, Freshness.WELL_KNOWN, position);
    }

    /**
     * Which rows of a CSV feed are current: a status column whose value must be one of {@code activeStatuses}, and a
     * last-seen column whose date must be at most {@code maxAgeDays} before the run's day. A null column means the
     * first of the well-known ones the header has ({@link #STATUS_COLUMNS}, {@link #LAST_SEEN_COLUMNS}); {@link #NONE}
     * switches the check off.
     */
    public record Freshness(String statusColumn, List<String> activeStatuses, String lastSeenColumn, int maxAgeDays)
    {
        public static final String NONE = "none";
        /** abuse.ch Feodo Tracker ({@code c2_status}) and URLhaus ({@code url_status}). */
        public static final List<String> STATUS_COLUMNS = List.of("c2_status", "url_status");
        /** abuse.ch Feodo Tracker and URLhaus. */
        public static final List<String> LAST_SEEN_COLUMNS = List.of("last_online");
        public static final List<String> DEFAULT_ACTIVE = List.of("online");
        public static final int DEFAULT_MAX_AGE_DAYS = 30;
        public static final Freshness WELL_KNOWN = new Freshness(null, DEFAULT_ACTIVE, null, DEFAULT_MAX_AGE_DAYS);

        public Freshness
        {
            activeStatuses = List.copyOf(activeStatuses);
            if (maxAgeDays < 0) {
                throw new IllegalArgumentException("maxAgeDays must not be negative");
            }
        }
    }
}
