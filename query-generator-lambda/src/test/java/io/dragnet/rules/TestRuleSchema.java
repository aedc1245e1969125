package io.dragnet.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dragnet.rules.internal.RuleParser;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.Modifier;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The published JSON Schema accepts every sample rule, rejects what the validator rejects structurally, and stays in step with the parser. */
public class TestRuleSchema
{
    private static final ObjectMapper YAML = new YAMLMapper();

    private static JsonSchema schema()
            throws IOException
    {
        try (InputStream in = TestRuleSchema.class.getResourceAsStream("/rule.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static JsonNode schemaJson()
            throws IOException
    {
        try (InputStream in = TestRuleSchema.class.getResourceAsStream("/rule.schema.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<JsonNode> documents(String yaml)
            throws IOException
    {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    @Test
    public void acceptsEverySampleRule()
            throws IOException
    {
        JsonSchema schema = schema();
        Path rules = io.dragnet.storage.RepositoryPaths.root().resolve("samples/rules");
        int checked = 0;
        try (Stream<Path> files = Files.list(rules)) {
            for (Path file : files.filter(file -> file.toString().endsWith(".yaml") && !file.endsWith("sources.yaml")).sorted().toList()) {
                for (JsonNode rule : documents(Files.readString(file))) {
                    Set<ValidationMessage> errors = schema.validate(rule);
                    assertThat(errors).as(file.getFileName().toString()).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    public void rejectsUnknownKeysModifiersAndKinds()
            throws IOException
    {
        JsonSchema schema = schema();
        String base = RuleFolder.rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel\n");
        assertThat(schema.validate(documents(base).get(0))).isEmpty();
        assertThat(schema.validate(documents(base + "sevrity: high\n").get(0))).isNotEmpty();
        assertThat(schema.validate(documents(base.replace("destination.port:", "destination.port|cidrr:")).get(0))).isNotEmpty();
        assertThat(schema.validate(documents(base.replace("    destination.port: 449\n", "    ioc: ipv4\n    values: [1.2.3.4]\n")).get(0))).isNotEmpty();
        assertThat(schema.validate(documents(base.replace("    destination.port: 449\n", "    ioc: ip\n    values: [1.2.3.4]\n")).get(0))).isEmpty();
        assertThat(schema.validate(documents(base.replace("topic: c2", "topic: dsn")).get(0))).isNotEmpty();
    }

    @Test
    public void acceptsAggregateAndCorrelationRulesAndRejectsTheirMixtures()
            throws IOException
    {
        JsonSchema schema = schema();
        String aggregate = RuleFolder.rule("r", "[zeek_conn]", "  sel:\n    destination.port: 449\n  condition: sel\n")
                + "aggregate:\n  group_by: [source.ip]\n  window: {size: 1h, slide: 10m}\n  measures:\n    hosts: count_distinct(destination.ip)\n  having: hosts > 10\n";
        assertThat(schema.validate(documents(aggregate).get(0))).isEmpty();
        assertThat(schema.validate(documents(aggregate.replace("  group_by: [source.ip]\n", "")).get(0))).isNotEmpty();
        assertThat(schema.validate(documents(aggregate.replace("slide: 10m", "slide: 10 minutes")).get(0))).isNotEmpty();
        String correlation = "id: c\ntitle: C\ntopic: c2\nowner: tests\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b]\n  group-by: [source.ip]\n  timespan: 10m\n";
        assertThat(schema.validate(documents(correlation).get(0))).isEmpty();
        assertThat(schema.validate(documents(correlation + "sources: [zeek_conn]\n").get(0))).isNotEmpty();
        assertThat(schema.validate(documents(correlation.replace("temporal_ordered", "temporal_ordred")).get(0))).isNotEmpty();
    }

    @Test
    public void staysInStepWithTheParser()
            throws IOException
    {
        JsonNode json = schemaJson();
        List<String> keys = new ArrayList<>();
        json.get("properties").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(RuleParser.RULE_KEYS);
        assertThat(texts(json.at("/properties/topic/enum"))).isEqualTo(RuleParser.TOPICS);
        assertThat(texts(json.at("/properties/enrich/items/enum"))).isEqualTo(RuleParser.ENRICHMENTS);
        assertThat(texts(json.at("/definitions/iocSelection/properties/ioc/enum"))).isEqualTo(IocKind.keywords());
        assertThat(json.at("/definitions/fieldConditions/propertyNames/pattern").asText()).contains("(" + String.join("|", Modifier.keywords()) + ")");
        assertThat(texts(json.at("/properties/sources/items/anyOf/0/enum"))).isEqualTo(SourceCatalog.builtIn().names());
    }

    private static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
