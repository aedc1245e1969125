package io.dragnet.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders an export as one MISP event (the JSON MISP imports and serves in its feeds): the file's TLP and the
 * rules' ATT&CK techniques as event tags; one attribute per indicator that was hit with {@code to_ids: true} and a
 * sighting per day range; the other observed addresses and names as context attributes with {@code to_ids: false}
 * (they were seen, not vetted as indicators).
 */
public final class MispEventWriter
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MispEventWriter() {}

    public static String render(ExportContent content)
    {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode event = root.putObject("Event");
        String eventKey = content.producer().name() + "\u001f" + content.recipient() + "\u001f" + content.from() + "\u001f" + content.to();
        event.put("uuid", StableIds.uuid5(StableIds.DRAGNET, "misp-event\u001f" + eventKey).toString());
        event.put("info", "dragnet findings " + content.from() + (content.to().equals(content.from()) ? "" : " to " + content.to()) + " for " + content.recipient());
        event.put("date", content.from().toString());
        event.put("threat_level_id", "2");
        event.put("analysis", "2");
        event.put("distribution", "0");
        event.put("published", false);
        event.put("timestamp", Long.toString(content.to().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() - 1));
        event.putObject("Orgc").put("name", content.producer().name());
        ArrayNode eventTags = event.putArray("Tag");
        eventTags.addObject().put("name", content.tlp().mispTag());
        List<SharedIndicator> indicators = SharedIndicator.gather(content.views());
        indicators.stream().flatMap(indicator -> indicator.tags().stream()).map(MispEventWriter::attackTag).flatMap(Optional::stream)
                .distinct().sorted().forEach(tag -> eventTags.addObject().put("name", tag));

        ArrayNode attributes = event.putArray("Attribute");
        Map<String, Boolean> written = new LinkedHashMap<>();
        for (SharedIndicator indicator : indicators) {
            Optional<String> type = attributeType(indicator.kind(), indicator.value());
            if (type.isEmpty()) {
                continue;
            }
            ObjectNode attribute = attribute(attributes, type.get(), indicator.value(), true);
            attribute.put("comment", indicator.count() + " hit(s) by: " + String.join("; ", indicator.ruleNames().stream().sorted().toList())
                    + (indicator.provider() == null ? "" : " (feed " + indicator.provider() + ")"));
            attribute.put("first_seen", StixBundleWriter.timestamp(indicator.firstSeen()));
            attribute.put("last_seen", StixBundleWriter.timestamp(indicator.lastSeen()));
            ArrayNode sightings = attribute.putArray("Sighting");
            ObjectNode sighting = sightings.addObject();
            sighting.put("type", "0");
            sighting.put("date_sighting", Long.toString(indicator.lastSeen().getEpochSecond()));
            sighting.putObject("Organisation").put("name", content.producer().name());
            written.put(type.get() + "\u001f" + indicator.value(), true);
        }
        for (Map<String, Object> view : content.views()) {
            if (view.get("threat.indicator.value") != null) {
                continue;
            }
            for (Map.Entry<String, String> field : Map.of("destination.ip", "ip-dst", "source.ip", "ip-src", "dns.question.name", "domain", "url.full", "url").entrySet()) {
                if (view.get(field.getKey()) instanceof String value && !value.isBlank() && written.putIfAbsent(field.getValue() + "\u001f" + value, false) == null) {
                    ObjectNode attribute = attribute(attributes, field.getValue(), value, false);
                    attribute.put("comment", "Observed by rule " + view.getOrDefault("rule.id", "?"));
                }
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode attribute(ArrayNode attributes, String type, String value, boolean toIds)
    {
        ObjectNode attribute = attributes.addObject();
        attribute.put("uuid", StableIds.uuid5(StableIds.DRAGNET, "misp-attribute\u001f" + type + "\u001f" + value).toString());
        attribute.put("type", type);
        attribute.put("category", type.startsWith("md5") || type.startsWith("sha") ? "Payload delivery" : "Network activity");
        attribute.put("value", value);
        attribute.put("to_ids", toIds);
        return attribute;
    }

    static Optional<String> attributeType(String kind, String value)
    {
        return Optional.ofNullable(switch (kind) {
            case "ip", "cidr" -> "ip-dst";
            case "domain" -> "domain";
            case "url" -> "url";
            case "md5" -> "md5";
            case "sha1" -> "sha1";
            case "sha256" -> "sha256";
            case "ja3" -> "ja3-fingerprint-md5";
            case "user_agent" -> "user-agent";
            default -> null;
        });
    }

    /** {@code attack.t1571} → {@code mitre-attack:T1571}; other tags are not ATT&CK techniques. */
    static Optional<String> attackTag(String ruleTag)
    {
        String lower = ruleTag.toLowerCase(Locale.ROOT);
        if (lower.matches("attack\\.t[0-9]{4}(\\.[0-9]{3})?")) {
            return Optional.of("mitre-attack:" + lower.substring("attack.".length()).toUpperCase(Locale.ROOT));
        }
        return Optional.empty();
    }
}
