package io.dragnet.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One indicator as an export carries it: what was hit (kind and value as the recipient sees them), its feed's
 * metadata, and when and how often it was sighted, gathered from the recipient's view of the hits.
 *
 * @param kind an IoC kind keyword of the rule language (ip, cidr, domain, url, md5, sha1, sha256, ja3, user_agent)
 * @param confidence 0..100, or -1 when the feed gave none
 */
public record SharedIndicator(
        String kind,
        String value,
        String provider,
        int confidence,
        Instant validFrom,
        Instant firstSeen,
        Instant lastSeen,
        int count,
        Set<String> ruleNames,
        Set<String> tags)
{
    public SharedIndicator
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(value, "value is null");
        requireNonNull(validFrom, "validFrom is null");
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        ruleNames = Set.copyOf(ruleNames);
        tags = Set.copyOf(tags);
    }

    /** Groups hit views by (indicator kind, value); hits without an indicator are left out. Ordered by kind, then value. */
    public static List<SharedIndicator> gather(List<Map<String, Object>> views)
    {
        Map<List<String>, List<Map<String, Object>>> byIndicator = new LinkedHashMap<>();
        for (Map<String, Object> view : views) {
            Object kind = view.get("threat.indicator.type");
            Object value = view.get("threat.indicator.value");
            if (kind instanceof String k && value instanceof String v && !v.isBlank()) {
                byIndicator.computeIfAbsent(List.of(k, v), key -> new ArrayList<>()).add(view);
            }
        }
        List<SharedIndicator> indicators = new ArrayList<>();
        byIndicator.forEach((key, hits) -> {
            Instant first = hits.stream().map(SharedIndicator::time).min(Comparator.naturalOrder()).orElseThrow();
            Instant last = hits.stream().map(SharedIndicator::time).max(Comparator.naturalOrder()).orElseThrow();
            Map<String, Object> sample = hits.get(0);
            Instant validFrom = Optional.ofNullable(sample.get("threat.indicator.first_seen")).map(Object::toString).flatMap(SharedIndicator::instant)
                    .filter(instant -> !instant.isAfter(first)).orElse(first);
            Set<String> rules = new LinkedHashSet<>();
            Set<String> tags = new LinkedHashSet<>();
            for (Map<String, Object> hit : hits) {
                Optional.ofNullable(hit.get("rule.name")).or(() -> Optional.ofNullable(hit.get("rule.id"))).map(Object::toString).ifPresent(rules::add);
                if (hit.get("tags") instanceof List<?> list) {
                    list.forEach(tag -> tags.add(tag.toString()));
                }
            }
            indicators.add(new SharedIndicator(key.get(0), key.get(1), Optional.ofNullable(sample.get("threat.indicator.provider")).map(Object::toString).orElse(null),
                    confidence(sample.get("threat.indicator.confidence")), validFrom, first, last, hits.size(), rules, tags));
        });
        indicators.sort(Comparator.comparing(SharedIndicator::kind).thenComparing(SharedIndicator::value));
        return indicators;
    }

    static Instant time(Map<String, Object> view)
    {
        return Optional.ofNullable(view.get("@timestamp")).map(Object::toString).flatMap(SharedIndicator::instant).orElse(Instant.EPOCH);
    }

    static Optional<Instant> instant(String text)
    {
        try {
            return Optional.of(Instant.parse(text));
        }
        catch (RuntimeException notIso) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
            }
            catch (RuntimeException notOffset) {
                try {
                    return Optional.of(java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
                }
                catch (RuntimeException notDate) {
                    return Optional.empty();
                }
            }
        }
    }

    private static int confidence(Object raw)
    {
        if (raw == null) {
            return -1;
        }
        try {
            double value = Double.parseDouble(raw.toString().trim());
            if (value >= 0 && value <= 1 && raw.toString().contains(".")) {
                return (int) Math.round(value * 100);
            }
            return value >= 0 && value <= 100 ? (int) Math.round(value) : -1;
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }
}
