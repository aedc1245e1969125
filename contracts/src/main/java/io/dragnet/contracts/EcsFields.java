package io.dragnet.contracts;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ECS-style fields an output document takes from its source record, and which field of the source feeds each: the
 * one named by the source's declared mapping ({@link JobSpec.SourceSpec#mapping}, the {@code mapping} of its
 * declaration in sources.yaml or in the built-in sources). A field the mapping does not name, or names but the day
 * lacks, stays empty in the documents.
 *
 * <p>{@code url.full} is the mapped field when the source maps one, else {@code http://} + {@code url.domain} +
 * {@code url.original} when it maps both (Zeek's http.log splits the URL into host and uri).
 */
public final class EcsFields
{
    /** ECS-style field → its type in documents (a {@link JobSpec.FieldSpec} type), for every field documents copy from the source. */
    public static final Map<String, String> DOCUMENT_TYPES;
    /** The parts {@code url.full} is built of when the source maps no field to it. */
    public static final List<String> URL_PARTS = List.of("url.domain", "url.original");

    static {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("event.id", "string");
        types.put("source.ip", "string");
        types.put("source.port", "long");
        types.put("destination.ip", "string");
        types.put("destination.port", "long");
        types.put("network.transport", "string");
        types.put("network.protocol", "string");
        types.put("dns.question.name", "string");
        types.put("url.full", "string");
        types.put("url.domain", "string");
        types.put("http.request.method", "string");
        types.put("http.response.status_code", "long");
        types.put("user_agent.original", "string");
        types.put("tls.server.name", "string");
        types.put("tls.client.ja3", "string");
        types.put("file.hash.md5", "string");
        types.put("file.hash.sha1", "string");
        types.put("file.hash.sha256", "string");
        types.put("nids.score", "double");
        types.put("nids.predicted_malicious", "boolean");
        types.put("nids.attack_category", "string");
        DOCUMENT_TYPES = Collections.unmodifiableMap(types);
    }

    private EcsFields() {}

    /**
     * ECS-style field → the source field that feeds it, for the document fields and URL parts the source maps to a
     * field it has, in the order of {@link #DOCUMENT_TYPES}.
     *
     * @param available the fields the source's records have
     */
    public static Map<String, String> sourceFields(JobSpec.SourceSpec source, Collection<String> available)
    {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String ecs : DOCUMENT_TYPES.keySet()) {
            mapped(source, ecs, available).ifPresent(field -> fields.put(ecs, field));
        }
        for (String ecs : URL_PARTS) {
            mapped(source, ecs, available).ifPresent(field -> fields.put(ecs, field));
        }
        return fields;
    }

    /** The source's declared time field, when its records have it. */
    public static Optional<String> timeField(JobSpec.SourceSpec source, Collection<String> available)
    {
        return Optional.ofNullable(source.timeField()).filter(available::contains);
    }

    private static Optional<String> mapped(JobSpec.SourceSpec source, String ecs, Collection<String> available)
    {
        return Optional.ofNullable(source.mapping().get(ecs)).filter(available::contains);
    }
}
