package io.dragnet.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.Json;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestOpenSearchSetup
{
    private static final Set<String> AGGREGATABLE = Set.of("keyword", "ip", "date", "long", "double", "boolean");

    @Test
    @SuppressWarnings("unchecked")
    void resultTemplateMapsEcsFieldsWithTheirTypes()
    {
        Map<String, Map<String, Object>> templates = OpenSearchSetup.indexTemplates(OpenSearchSetup.Options.local());
        assertThat(templates).containsOnlyKeys("dragnet-c2", "dragnet-dns", "dragnet-web", "dragnet-nids",
                "dragnet-c2_restricted", "dragnet-dns_restricted", "dragnet-web_restricted", "dragnet-nids_restricted", "dragnet-verdicts", "dragnet-runs");
        assertThat(templates.get("dragnet-c2_restricted").get("index_patterns")).isEqualTo(List.of("dragnet-c2_restricted-*", "dragnet_sandbox-c2_restricted-*"));
        Map<String, Object> c2 = templates.get("dragnet-c2");
        assertThat(c2.get("index_patterns")).isEqualTo(List.of("dragnet-c2-*", "dragnet_sandbox-c2-*"));
        Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) c2.get("template")).get("mappings")).get("properties");
        assertThat(typeOf(properties, "source.ip")).isEqualTo("ip");
        assertThat(typeOf(properties, "source.geo.location")).isEqualTo("geo_point");
        assertThat(typeOf(properties, "destination.geo.location")).isEqualTo("geo_point");
        assertThat(typeOf(properties, "@timestamp")).isEqualTo("date");
        assertThat(typeOf(properties, "dns.question.name")).isEqualTo("keyword");
        assertThat(typeOf(properties, "nids.score")).isEqualTo("double");
        assertThat(templates.get("dragnet-runs").get("index_patterns")).isEqualTo(List.of("dragnet-runs", "dragnet-runs-*"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void retentionNeverDeletesTheLedger()
    {
        Map<String, Object> policy = (Map<String, Object>) OpenSearchSetup.retentionPolicy(new OpenSearchSetup.Options(List.of("c2"), 0, 30)).get("policy");
        String json = Json.write(policy);
        assertThat(json).contains("\"min_index_age\" : \"30d\"").contains("dragnet-c2-*").contains("dragnet-c2_restricted-*").contains("dragnet-verdicts-*").doesNotContain("dragnet-runs");
    }

    @Test
    void savedObjectsAreImportableAndReferToMappedFields()
            throws Exception
    {
        String ndjson = OpenSearchSetup.dashboardsSavedObjects();
        Map<String, String> typeById = new HashMap<>();
        Set<String> titles = new HashSet<>();
        List<String> lines = ndjson.lines().toList();
        for (String line : lines) {
            JsonNode object = Json.mapper().readTree(line);
            String id = object.path("id").asText();
            assertThat(typeById.put(id, object.path("type").asText())).as("duplicate id %s", id).isNull();
            titles.add(object.path("attributes").path("title").asText());
        }
        for (String topic : OpenSearchSetup.DEFAULT_TOPICS) {
            assertThat(typeById).containsEntry("dragnet-" + topic, "index-pattern");
            assertThat(typeById).containsEntry("dragnet-" + topic + "-hits-over-time", "visualization");
            assertThat(typeById).containsEntry("dragnet-" + topic + "-top-rules", "visualization");
            assertThat(typeById).containsEntry("dragnet-" + topic + "-top-source-addresses", "visualization");
        }
        assertThat(titles).contains("NIDS alerts by attack category", "IoC hits (c2)");
        for (String line : lines) {
            JsonNode object = Json.mapper().readTree(line);
            String type = object.path("type").asText();
            assertThat(type).isIn("index-pattern", "search", "visualization");
            if (type.equals("index-pattern")) {
                assertThat(object.path("attributes").path("timeFieldName").asText()).isEqualTo("@timestamp");
                continue;
            }
            JsonNode source = Json.mapper().readTree(object.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
            String refName = source.path("indexRefName").asText();
            JsonNode reference = object.path("references").get(0);
            assertThat(reference.path("name").asText()).isEqualTo(refName);
            assertThat(typeById.get(reference.path("id").asText())).isEqualTo("index-pattern");
            if (type.equals("visualization")) {
                JsonNode state = Json.mapper().readTree(object.path("attributes").path("visState").asText());
                for (JsonNode aggregation : state.path("aggs")) {
                    String field = aggregation.path("params").path("field").asText(null);
                    if (field != null) {
                        assertThat(DocumentMappings.RESULT_FIELDS.get(field)).as("field %s of %s", field, object.path("id").asText()).isIn(AGGREGATABLE);
                    }
                }
            }
            else {
                for (JsonNode column : object.path("attributes").path("columns")) {
                    assertThat(DocumentMappings.RESULT_FIELDS).containsKey(column.asText());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String typeOf(Map<String, Object> properties, String dotted)
    {
        Map<String, Object> level = properties;
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            level = (Map<String, Object>) ((Map<String, Object>) level.get(parts[i])).get("properties");
        }
        return (String) ((Map<String, Object>) level.get(parts[parts.length - 1])).get("type");
    }
}
