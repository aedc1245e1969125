package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.IocTableFile;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An {@link IocTableFile} as the job matches it: values in their matching form by the table's kind, duplicates dropped. */
public final class IocTables
{
    private IocTables() {}

    public static List<IocEntry> parse(Reader reader, String location, String kind)
    {
        List<IocEntry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (IocEntry entry : IocTableFile.read(reader, location, raw -> normalize(kind, raw))) {
            if (seen.add(entry.value())) {
                entries.add(new IocEntry(entry.value(), entry.feed(), entry.confidence(), firstSeen(entry.firstSeen()), entry.description()));
            }
        }
        return entries;
    }

    /** The matching form of a value: CIDRs canonical, domains lower case without "*." or a trailing dot, keywords as written (KeywordMatch decides on case), the rest lower case. */
    public static String normalize(String kind, String raw)
    {
        String trimmed = raw.trim();
        return switch (kind) {
            case "cidr" -> {
                if (trimmed.indexOf(':') >= 0) {
                    Ipv6CidrUdf.check(trimmed);
                    yield trimmed.toLowerCase(Locale.ROOT);
                }
                yield Cidr.parse(trimmed).toString();
            }
            case "domain" -> {
                String domain = trimmed.toLowerCase(Locale.ROOT);
                if (domain.startsWith("*.")) {
                    domain = domain.substring(2);
                }
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                if (domain.isEmpty()) {
                    throw new IllegalArgumentException("expected a domain name, got '" + raw + "'");
                }
                yield domain;
            }
            case "keyword" -> trimmed;
            default -> trimmed.toLowerCase(Locale.ROOT);
        };
    }

    /** Feeds write "2021-12-20 00:03:32" (abuse.ch) or ISO dates; documents carry ISO-8601 ("…T…Z" for UTC times). */
    static String firstSeen(String text)
    {
        if (text != null && text.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}")) {
            return text.replace(' ', 'T') + "Z";
        }
        return text;
    }
}
