package io.dragnet.sharing.alert;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.sharing.Anonymizer;
import io.dragnet.sharing.LeakCheck;
import io.dragnet.sharing.Selection;
import io.dragnet.sharing.SharingPolicy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Works out what is new: a (rule, entity) pair hit on the day that was not hit on the day before. The entity is the
 * document's {@code dragnet.entity} (what the rule summarizes by), else its destination, else its source address.
 * Pure apart from the keys' ciphers; the message passes the same leak check as an export.
 */
public final class AlertBuilder
{
    static final int EXAMPLES_PER_RULE = 5;

    private AlertBuilder() {}

    /** The alert for {@code channel}, or empty when nothing it may show is new. */
    public static Optional<Alert> build(SharingPolicy policy, SharingPolicy.Channel channel, RuleSubscriptions subscriptions, SharingKeys keys, LocalDate day,
            List<Map<String, Object>> dayHits, List<Map<String, Object>> previousDayHits)
    {
        SharingPolicy.Recipient recipient = policy.recipient(channel.recipient()).orElseThrow();
        Selection today = Selection.of(policy, recipient, List.of(), dayHits.stream()
                .filter(hit -> subscriptions.sends(channel, String.valueOf(hit.get("rule.id")))).toList());
        Set<List<String>> before = new HashSet<>();
        for (Map<String, Object> hit : previousDayHits) {
            entity(hit).ifPresent(entity -> before.add(List.of(String.valueOf(hit.get("rule.id")), entity)));
        }
        Map<String, Set<String>> newEntities = new TreeMap<>();
        Map<String, String> ruleNames = new LinkedHashMap<>();
        for (Map<String, Object> hit : today.hits()) {
            String rule = String.valueOf(hit.get("rule.id"));
            Optional<String> entity = entity(hit);
            if (entity.isPresent() && !before.contains(List.of(rule, entity.get()))) {
                newEntities.computeIfAbsent(rule, key -> new LinkedHashSet<>()).add(entity.get());
                ruleNames.putIfAbsent(rule, String.valueOf(hit.getOrDefault("rule.name", rule)));
            }
        }
        if (newEntities.isEmpty()) {
            return Optional.empty();
        }
        Anonymizer anonymizer = new Anonymizer(recipient, keys);
        int total = newEntities.values().stream().mapToInt(Set::size).sum();
        String title = "dragnet: " + total + " new hit" + (total == 1 ? "" : "s") + " on " + day + " (" + today.tlp().stixName() + ")";
        StringBuilder text = new StringBuilder(title);
        Map<String, Integer> counts = new LinkedHashMap<>();
        newEntities.forEach((rule, entities) -> {
            counts.put(rule, entities.size());
            List<String> shown = new ArrayList<>();
            for (String entity : entities) {
                if (shown.size() == EXAMPLES_PER_RULE) {
                    break;
                }
                shown.add(anonymizer.text(entity));
            }
            text.append("\n• ").append(ruleNames.get(rule)).append(" (").append(rule).append("): ").append(entities.size()).append(" new — ")
                    .append(String.join(", ", shown)).append(entities.size() > shown.size() ? ", …" : "");
            if (channel.dashboards() != null) {
                text.append("\n  ").append(discoverLink(channel, rule, day));
            }
        });
        LeakCheck.of(today.hits(), recipient).verify(text.toString(), recipient.name() + " (channel " + channel.name() + ")");
        return Optional.of(new Alert(channel.name(), day, title, text.toString(), counts));
    }

    static Optional<String> entity(Map<String, Object> hit)
    {
        for (String field : List.of("dragnet.entity", "destination.ip", "source.ip")) {
            if (hit.get(field) instanceof String value && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String discoverLink(SharingPolicy.Channel channel, String rule, LocalDate day)
    {
        String base = channel.dashboards().toString().replaceAll("/+$", "");
        String query = URLEncoder.encode("rule.id:\"" + rule + "\"", StandardCharsets.UTF_8).replace("+", "%20");
        return base + "/app/discover#/?_g=(time:(from:'" + day + "T00:00:00Z',to:'" + day.plusDays(1) + "T00:00:00Z'))&_a=(query:(language:kuery,query:'" + query + "'))";
    }
}
