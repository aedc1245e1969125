package io.dragnet.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates STIX 2.1 bundles against the official OASIS JSON schemas, shipped as resources and resolved by their
 * {@code $id} without any network access: the bundle, then each object against the schema of its type.
 */
public final class StixValidator
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_PREFIX = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";
    private static final String RESOURCES = "io/dragnet/sharing/stix2.1-schemas/";

    private final JsonSchemaFactory factory;
    private final Map<String, String> schemaByType = new HashMap<>();

    public StixValidator()
    {
        Map<String, String> mappings = new HashMap<>();
        try (InputStream index = resource("schemas.index")) {
            for (String file : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!file.isBlank()) {
                    mappings.put(ID_PREFIX + file.strip(), "classpath:" + RESOURCES + "schemas/" + file.strip());
                    String name = file.strip().substring(file.lastIndexOf('/') + 1).replace(".json", "");
                    schemaByType.putIfAbsent(name, ID_PREFIX + file.strip());
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the STIX schema index", e);
        }
        factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)).addUriMappings(mappings).build();
    }

    /** Every violation, as "object id: message"; empty when the bundle is valid STIX 2.1. */
    public List<String> violations(String bundle)
    {
        JsonNode node;
        try {
            node = JSON.readTree(bundle);
        }
        catch (JsonProcessingException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        List<String> violations = new ArrayList<>();
        collect("bundle", schema("bundle"), node, violations);
        if (node.get("objects") != null) {
            for (JsonNode object : node.get("objects")) {
                String type = object.path("type").asText();
                String id = object.path("id").asText("(no id)");
                String schema = schemaByType.get(type);
                if (schema == null) {
                    violations.add(id + ": no STIX 2.1 schema for type '" + type + "'");
                }
                else {
                    collect(id, factory.getSchema(URI.create(schema)), object, violations);
                }
            }
        }
        return violations;
    }

    private JsonSchema schema(String type)
    {
        return factory.getSchema(URI.create(schemaByType.get(type)));
    }

    private static void collect(String where, JsonSchema schema, JsonNode node, List<String> violations)
    {
        for (ValidationMessage message : schema.validate(node)) {
            violations.add(where + ": " + message.getMessage());
        }
    }

    private static InputStream resource(String name)
    {
        InputStream stream = StixValidator.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (stream == null) {
            throw new IllegalStateException("missing resource " + RESOURCES + name);
        }
        return stream;
    }
}
