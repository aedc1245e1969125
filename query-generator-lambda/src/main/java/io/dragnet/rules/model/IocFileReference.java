package io.dragnet.rules.model;

import static java.util.Objects.requireNonNull;

/**
 * An IoC list file named by a selection, resolved against the rule file's location.
 *
 * @param format text, csv, stix or misp; null to infer from the name and content
 * @param column CSV column holding the indicator; null to pick a known one (value, indicator, ioc, dst_ip, ip, url, domain)
 * @param feed feed name recorded with each indicator; null for the file name
 */
public record IocFileReference(String path, String format, String column, String feed, SourcePosition position)
{
    public IocFileReference
    {
        requireNonNull(path, "path is null");
        requireNonNull(position, "position is null");
    }
}
