package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import io.dragnet.contracts.DragnetException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The last gate before an export is written: collects every internal address and every pseudonymized name the
 * selected hits carry in clear, then scans the rendered file for any of them. An export that still contains one is
 * refused, naming the first offender and the field it came from, so the policy can be fixed.
 */
public final class LeakCheck
{
    private final Map<String, String> secrets = new LinkedHashMap<>();

    private LeakCheck() {}

    public static LeakCheck of(List<Map<String, Object>> hits, SharingPolicy.Recipient recipient)
    {
        LeakCheck check = new LeakCheck();
        for (Map<String, Object> hit : hits) {
            hit.forEach((field, value) -> check.collect(field, value, recipient));
        }
        return check;
    }

    /** The first internal value found in clear in {@code rendered}, as "what (a value of field)". */
    public Optional<String> firstLeak(String rendered)
    {
        String lower = rendered.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            if (containsToken(lower, secret.getKey().toLowerCase(Locale.ROOT))) {
                return Optional.of(secret.getKey() + " (a value of " + secret.getValue() + ")");
            }
        }
        return Optional.empty();
    }

    public void verify(String rendered, String recipient)
    {
        firstLeak(rendered).ifPresent(leak -> {
            throw DragnetException.user("export to " + recipient + " refused: the output still contains the internal value " + leak
                    + " in clear; drop that field for this recipient or add it to 'pseudonymize' in the sharing policy");
        });
    }

    private void collect(String field, Object value, SharingPolicy.Recipient recipient)
    {
        if (value instanceof List<?> list) {
            list.forEach(item -> collect(field, item, recipient));
            return;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            return;
        }
        if (recipient.pseudonymizedFields().contains(field)) {
            secrets.putIfAbsent(text, field);
            return;
        }
        Optional<byte[]> whole = Network.address(text);
        if (whole.isPresent()) {
            if (recipient.isInternal(whole.get()) || recipient.anonymizeExternalAddresses()) {
                secrets.putIfAbsent(text, field);
            }
            return;
        }
        Matcher matcher = Anonymizer.IPV4_IN_TEXT.matcher(text);
        while (matcher.find()) {
            Optional<byte[]> embedded = Network.address(matcher.group());
            if (embedded.isPresent() && (recipient.isInternal(embedded.get()) || recipient.anonymizeExternalAddresses())) {
                secrets.putIfAbsent(matcher.group(), field);
            }
        }
    }

    private static boolean containsToken(String haystack, String needle)
    {
        int from = 0;
        while (true) {
            int at = haystack.indexOf(needle, from);
            if (at < 0) {
                return false;
            }
            int end = at + needle.length();
            if ((at == 0 || !tokenCharacter(haystack.charAt(at - 1))) && (end == haystack.length() || !tokenCharacter(haystack.charAt(end)))) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean tokenCharacter(char c)
    {
        return Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '_' || c == '-';
    }
}
