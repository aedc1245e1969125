package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders an export as a STIX 2.1 bundle: an {@code identity} for the producer, the TLP 2.0 marking definition of
 * the file, one {@code indicator} (simple comparison pattern) and one {@code sighting} (count, first and last seen,
 * sighted where the producer is) per indicator that was hit, one {@code observed-data} per aggregate hit (its group
 * in its window: the group's addresses as observables, the group and measures as {@code x_dragnet_group} and
 * {@code x_dragnet_measures}) and one {@code observed-data} per rule for the other hits without an indicator, referring
 * to the addresses and names observed. Every id is a name-based UUID, so the same export gives the same bundle; an
 * observable several objects refer to is in the bundle once.
 */
public final class StixBundleWriter
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String TLP_IDENTITY = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01";
    private static final int MAX_COUNT = 999_999_999;
    static final String AGGREGATE_GROUP = "aggregate.group";
    static final String AGGREGATE_MEASURES = "aggregate.measures";

    private StixBundleWriter() {}

    public static String render(ExportContent content)
    {
        List<ObjectNode> objects = new ArrayList<>();
        String created = timestamp(content.from().atStartOfDay(ZoneOffset.UTC).toInstant());
        ObjectNode identity = object("identity", "identity--" + StableIds.uuid5(StableIds.DRAGNET, "identity\u001f" + content.producer().name()), created);
        identity.put("name", content.producer().name());
        identity.put("identity_class", content.producer().identityClass());
        objects.add(identity);
        objects.add(marking(content.tlp()));
        String identityId = identity.get("id").asText();

        for (SharedIndicator indicator : SharedIndicator.gather(content.views())) {
            Optional<String> pattern = pattern(indicator.kind(), indicator.value());
            if (pattern.isEmpty()) {
                continue;
            }
            String indicatorId = "indicator--" + StableIds.uuid5(StableIds.DRAGNET, "indicator\u001f" + pattern.get());
            ObjectNode node = object("indicator", indicatorId, timestamp(indicator.validFrom()));
            node.put("created_by_ref", identityId);
            node.put("name", indicator.value());
            node.put("description", "Hit by: " + String.join("; ", indicator.ruleNames().stream().sorted().toList()));
            node.putArray("indicator_types").add("malicious-activity");
            node.put("pattern", pattern.get());
            node.put("pattern_type", "stix");
            node.put("pattern_version", "2.1");
            node.put("valid_from", timestamp(indicator.validFrom()));
            if (indicator.confidence() >= 0) {
                node.put("confidence", indicator.confidence());
            }
            ArrayNode labels = JSON.createArrayNode();
            Optional.ofNullable(indicator.provider()).filter(provider -> !provider.isBlank()).ifPresent(labels::add);
            indicator.tags().stream().sorted().forEach(labels::add);
            if (!labels.isEmpty()) {
                node.set("labels", labels);
            }
            node.putArray("object_marking_refs").add(content.tlp().stixMarkingId());
            objects.add(node);

            ObjectNode sighting = object("sighting", "sighting--" + StableIds.uuid5(StableIds.DRAGNET,
                    "sighting\u001f" + indicatorId + "\u001f" + content.from() + "\u001f" + content.to()), timestamp(indicator.lastSeen()));
            sighting.put("created_by_ref", identityId);
            sighting.put("sighting_of_ref", indicatorId);
            sighting.put("count", Math.min(indicator.count(), MAX_COUNT));
            sighting.put("first_seen", timestamp(indicator.firstSeen()));
            sighting.put("last_seen", timestamp(indicator.lastSeen()));
            sighting.putArray("where_sighted_refs").add(identityId);
            sighting.putArray("object_marking_refs").add(content.tlp().stixMarkingId());
            objects.add(sighting);
        }
        objects.addAll(aggregateObservedData(content, identityId));
        objects.addAll(observedData(content, identityId));
        Map<String, ObjectNode> once = new LinkedHashMap<>();
        objects.forEach(object -> once.putIfAbsent(object.get("id").asText(), object));
        objects = new ArrayList<>(once.values());

        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + StableIds.uuid5(StableIds.DRAGNET, "bundle\u001f" + String.join("\u001f", objects.stream().map(o -> o.get("id").asText()).toList())));
        ArrayNode array = bundle.putArray("objects");
        objects.forEach(array::add);
        try {
            return JSON.writeValueAsString(bundle) + "\n";
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The STIX pattern for an indicator kind of the rule language; empty for kinds STIX has no object property for. */
    static Optional<String> pattern(String kind, String value)
    {
        String quoted = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return Optional.ofNullable(switch (kind) {
            case "ip", "cidr" -> "[" + (value.contains(":") ? "ipv6-addr" : "ipv4-addr") + ":value = " + quoted + "]";
            case "domain" -> "[domain-name:value = " + quoted + "]";
            case "url" -> "[url:value = " + quoted + "]";
            case "md5" -> "[file:hashes.MD5 = " + quoted + "]";
            case "sha1" -> "[file:hashes.'SHA-1' = " + quoted + "]";
            case "sha256" -> "[file:hashes.'SHA-256' = " + quoted + "]";
            case "user_agent" -> "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = " + quoted + "]";
            default -> null;
        });
    }

    private static List<ObjectNode> observedData(ExportContent content, String identityId)
    {
        Map<String, List<Map<String, Object>>> byRule = new TreeMap<>();
        for (Map<String, Object> view : content.views()) {
            if (view.get("threat.indicator.value") == null && view.get("rule.id") != null && !(view.get(AGGREGATE_GROUP) instanceof String)) {
                byRule.computeIfAbsent(view.get("rule.id").toString(), rule -> new ArrayList<>()).add(view);
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        byRule.forEach((rule, hits) -> {
            Map<String, ObjectNode> observables = new LinkedHashMap<>();
            for (Map<String, Object> hit : hits) {
                for (String field : List.of("source.ip", "destination.ip")) {
                    if (hit.get(field) instanceof String address && Network.address(address).isPresent()) {
                        String type = address.contains(":") ? "ipv6-addr" : "ipv4-addr";
                        observables.computeIfAbsent(type + "\u001f" + address, key -> observable(type, address));
                    }
                }
                for (String field : List.of("dns.question.name", "url.domain", "tls.server.name")) {
                    if (hit.get(field) instanceof String name && !name.isBlank()) {
                        observables.computeIfAbsent("domain-name\u001f" + name, key -> observable("domain-name", name));
                    }
                }
            }
            if (observables.isEmpty()) {
                return;
            }
            Instant first = hits.stream().map(SharedIndicator::time).min(Comparator.naturalOrder()).orElseThrow();
            Instant last = hits.stream().map(SharedIndicator::time).max(Comparator.naturalOrder()).orElseThrow();
            ObjectNode observed = object("observed-data", "observed-data--" + StableIds.uuid5(StableIds.DRAGNET,
                    "observed\u001f" + rule + "\u001f" + content.from() + "\u001f" + content.to()), timestamp(last));
            observed.put("created_by_ref", identityId);
            observed.put("first_observed", timestamp(first));
            observed.put("last_observed", timestamp(last));
            observed.put("number_observed", Math.min(hits.size(), MAX_COUNT));
            ArrayNode refs = observed.putArray("object_refs");
            observables.values().forEach(o -> refs.add(o.get("id").asText()));
            ArrayNode labels = observed.putArray("labels");
            labels.add("rule:" + rule);
            observed.putArray("object_marking_refs").add(content.tlp().stixMarkingId());
            objects.addAll(observables.values());
            objects.add(observed);
        });
        return objects;
    }

    /**
     * One observed-data per aggregate hit: observed from the window's start to its end, once. Its observables are the
     * group's addresses (already anonymized in the view); a group with none (say, grouped by port alone) has nothing
     * STIX can refer to and is left to the CSV and MISP forms.
     */
    private static List<ObjectNode> aggregateObservedData(ExportContent content, String identityId)
    {
        List<ObjectNode> objects = new ArrayList<>();
        for (Map<String, Object> view : content.views()) {
            if (!(view.get(AGGREGATE_GROUP) instanceof String groupText) || view.get("rule.id") == null) {
                continue;
            }
            String rule = view.get("rule.id").toString();
            ObjectNode group = group(groupText);
            Map<String, ObjectNode> observables = new LinkedHashMap<>();
            List<String> addresses = new ArrayList<>();
            for (String field : List.of("source.ip", "destination.ip")) {
                if (view.get(field) instanceof String address) {
                    addresses.add(address);
                }
            }
            group.fields().forEachRemaining(entry -> addresses.add(entry.getValue().asText()));
            for (String address : addresses) {
                if (Network.address(address).isPresent()) {
                    String type = address.contains(":") ? "ipv6-addr" : "ipv4-addr";
                    observables.computeIfAbsent(type + "\u001f" + address, key -> observable(type, address));
                }
            }
            if (observables.isEmpty()) {
                continue;
            }
            Instant start = SharedIndicator.time(view);
            Instant end = Optional.ofNullable(view.get("window.end")).map(Object::toString).flatMap(SharedIndicator::instant).filter(start::isBefore).orElse(start);
            ObjectNode observed = object("observed-data", "observed-data--" + StableIds.uuid5(StableIds.DRAGNET,
                    "aggregate\u001f" + rule + "\u001f" + groupText + "\u001f" + start), timestamp(end));
            observed.put("created_by_ref", identityId);
            observed.put("first_observed", timestamp(start));
            observed.put("last_observed", timestamp(end));
            observed.put("number_observed", 1);
            ArrayNode refs = observed.putArray("object_refs");
            observables.values().forEach(o -> refs.add(o.get("id").asText()));
            observed.putArray("labels").add("rule:" + rule).add("aggregate");
            observed.set("x_dragnet_group", group);
            if (view.get(AGGREGATE_MEASURES) instanceof Map<?, ?> measures) {
                observed.set("x_dragnet_measures", JSON.valueToTree(measures));
            }
            observed.putArray("object_marking_refs").add(content.tlp().stixMarkingId());
            objects.addAll(observables.values());
            objects.add(observed);
        }
        return objects;
    }

    /** An aggregate hit's group (a JSON object of field → value); a group that is not one is kept as a single value. */
    private static ObjectNode group(String text)
    {
        try {
            if (JSON.readTree(text) instanceof ObjectNode object) {
                return object;
            }
        }
        catch (JsonProcessingException notJson) {
            // kept whole below
        }
        ObjectNode single = JSON.createObjectNode();
        single.put("value", text);
        return single;
    }

    private static ObjectNode observable(String type, String value)
    {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("spec_version", "2.1");
        // STIX 2.1 deterministic SCO id: UUIDv5 over the canonical JSON of the id-contributing property.
        node.put("id", type + "--" + StableIds.uuid5(StableIds.STIX_OBSERVABLES, "{\"value\":" + JSON.getNodeFactory().textNode(value) + "}"));
        node.put("value", value);
        return node;
    }

    private static ObjectNode marking(Tlp tlp)
    {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "marking-definition");
        node.put("spec_version", "2.1");
        node.put("id", tlp.stixMarkingId());
        node.put("created_by_ref", TLP_IDENTITY);
        node.put("created", "2022-10-01T00:00:00.000Z");
        node.put("name", tlp.stixName());
        ObjectNode extension = node.putObject("extensions").putObject(Tlp.STIX_EXTENSION);
        extension.put("extension_type", "property-extension");
        extension.put("tlp_2_0", tlp.label());
        return node;
    }

    private static ObjectNode object(String type, String id, String created)
    {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("spec_version", "2.1");
        node.put("id", id);
        node.put("created", created);
        node.put("modified", created);
        return node;
    }

    static String timestamp(Instant instant)
    {
        return TIMESTAMP.format(instant);
    }
}
