package io.dragnet.opensearch;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names a token-derived user, a group (backend role) or a policy object must never take: the security plugin's own
 * users, its built-in roles and the administrator. The node maps {@code all_access} to no user or backend role at all
 * (the local admin credential carries the role directly), so a name from a token grants nothing by itself; refusing
 * these names where dragnet creates identities keeps it that way if a mapping is ever added by hand.
 */
public final class ReservedNames
{
    private static final Set<String> EXACT = Set.of(
            "admin", "administrator", "root", "anonymous", "all_access", "readall", "readall_and_monitor",
            "kibanaserver", "kibanaro", "logstash", "snapshotrestore", "manage_snapshots", "own_index");
    private static final List<String> PREFIXES = List.of("opendistro_security", "security_", "kibana_", "all_access");

    private ReservedNames() {}

    /** Whether a user or group name is empty, carries a wildcard, comma, slash or blank, or is a reserved name (case ignored). */
    public static boolean isReserved(String name)
    {
        if (name == null || name.isBlank()) {
            return true;
        }
        String normal = name.toLowerCase(Locale.ROOT);
        if (normal.chars().anyMatch(c -> c == '*' || c == '?' || c == ',' || c == '/' || Character.isWhitespace(c))) {
            return true;
        }
        return EXACT.contains(normal) || PREFIXES.stream().anyMatch(normal::startsWith);
    }

    public static String describe()
    {
        return "empty names, wildcards (* ?), commas, slashes, blanks and the reserved names " + EXACT.stream().sorted().toList()
                + " or names starting with " + PREFIXES;
    }
}
