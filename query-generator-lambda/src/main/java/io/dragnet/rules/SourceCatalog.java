package io.dragnet.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.internal.BundledResources;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The sources rules may name: the built-in Zeek logs and NIDS verdicts, plus those declared in a rules folder's
 * {@code sources.yaml}. Both are written in the same format and read by the same code; the built-ins ship as the
 * resource {@code io/dragnet/rules/sources.yaml}. A declaration is the whole description of a source: its fields and
 * types, the ECS-style names of its fields, and under {@code sigma} the Sigma logsources its records answer (read by
 * {@link io.dragnet.rules.sigma.SigmaPipelines}, which needs the whole catalog to check them).
 */
public final class SourceCatalog
{
    public static final String SOURCES_FILE = "sources.yaml";
    private static final List<String> SOURCE_KEYS = List.of("format", "location", "time_field", "dataset", "fields", "mapping", "sigma");

    private static final ObjectMapper DECLARATION_WRITER = new YAMLMapper()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);

    static final String BUILT_IN_RESOURCE = "/io/dragnet/rules/sources.yaml";
    private static final SourceCatalog BUILT_IN = loadBuiltIn();

    private final Map<String, SourceDefinition> sources;
    private final Map<String, SigmaDeclaration> sigma;

    private SourceCatalog(Map<String, SourceDefinition> sources, Map<String, SigmaDeclaration> sigma)
    {
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.sigma = Collections.unmodifiableMap(new LinkedHashMap<>(sigma));
    }

    /**
     * The {@code sigma} key of a source's declaration: a list of Sigma logsource entries, each in the entry format of a
     * Sigma pipeline without {@code sources} (it is this source).
     *
     * @param builtIn true for the built-in sources' entries
     */
    public record SigmaDeclaration(String source, YamlNode entries, boolean builtIn)
    {
        public SigmaDeclaration
        {
            requireNonNull(source, "source is null");
            requireNonNull(entries, "entries is null");
        }
    }

    /** The sources every rules folder may read, declared in the resource {@value #BUILT_IN_RESOURCE} in the format of a sources.yaml. */
    public static SourceCatalog builtIn()
    {
        return BUILT_IN;
    }

    private static SourceCatalog loadBuiltIn()
    {
        String content = BundledResources.text(BUILT_IN_RESOURCE);
        List<Problem> problems = new ArrayList<>();
        SourceCatalog catalog = new SourceCatalog(Map.of(), Map.of()).withDeclarations(BUILT_IN_RESOURCE, content, problems::add, true);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("built-in sources " + BUILT_IN_RESOURCE + " are invalid: " + problems);
        }
        return catalog;
    }

    public Optional<SourceDefinition> find(String name)
    {
        return Optional.ofNullable(sources.get(name));
    }

    public List<String> names()
    {
        return List.copyOf(sources.keySet());
    }

    /** The Sigma logsource entries of the sources that declare some, in declaration order. */
    public List<SigmaDeclaration> sigmaDeclarations()
    {
        return List.copyOf(sigma.values());
    }

    /** Each source's raw schema (field → type, in schema order), by source name. */
    public Map<String, List<JobSpec.FieldSpec>> schemas()
    {
        Map<String, List<JobSpec.FieldSpec>> schemas = new LinkedHashMap<>();
        sources.forEach((name, source) -> schemas.put(name, source.schema()));
        return schemas;
    }

    /**
     * A sources.yaml declaring one more source with the given raw schema, ready to paste into a rules folder. Its
     * ECS-style mapping takes every entry of the built-in {@code zeek_conn} mapping whose raw field the new source has
     * with the same type (Zeek's {@code ts}, {@code uid} and connection id fields mean the same in every log).
     */
    public static String declaration(String name, String format, List<JobSpec.FieldSpec> fields)
    {
        Map<String, String> types = new LinkedHashMap<>();
        fields.forEach(field -> types.put(field.name(), field.type()));
        SourceDefinition connections = BUILT_IN.find("zeek_conn").orElseThrow();
        Map<String, String> mapping = new LinkedHashMap<>();
        connections.mapping().forEach((ecs, raw) -> {
            if (types.containsKey(raw) && types.get(raw).equals(connections.typeOf(raw))) {
                mapping.put(ecs, raw);
            }
        });
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("format", format);
        if (types.containsKey("ts")) {
            source.put("time_field", "ts");
        }
        source.put("dataset", JobSpec.SourceSpec.defaultDataset(name));
        source.put("fields", types);
        if (!mapping.isEmpty()) {
            source.put("mapping", mapping);
        }
        try {
            return DECLARATION_WRITER.writeValueAsString(Map.of("sources", Map.of(name, source)));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the declaration of " + name, e);
        }
    }

    /** These sources plus those declared in {@code content} (the text of a sources.yaml); problems are reported, bad entries left out. */
    public SourceCatalog withDeclarations(String file, String content, Consumer<Problem> problems)
    {
        return withDeclarations(file, content, problems, false);
    }

    private SourceCatalog withDeclarations(String file, String content, Consumer<Problem> problems, boolean builtIn)
    {
        Map<String, SourceDefinition> merged = new LinkedHashMap<>(sources);
        Map<String, SigmaDeclaration> mergedSigma = new LinkedHashMap<>(sigma);
        List<YamlNode> documents = YamlReader.readDocuments(file, content, problems);
        if (documents.isEmpty()) {
            return this;
        }
        if (!(documents.get(0) instanceof YamlNode.Mapping root) || root.entry("sources").isEmpty() || !(root.entry("sources").get().value() instanceof YamlNode.Mapping declared)) {
            problems.accept(new Problem(documents.get(0).position(), null, "sources.yaml must be a map with key 'sources' holding one map per source"));
            return this;
        }
        for (YamlNode.Entry other : root.entries()) {
            if (!other.name().equals("sources")) {
                problems.accept(new Problem(other.key().position(), null, "unknown key '" + other.name() + "' in sources.yaml; expected 'sources'"));
            }
        }
        for (YamlNode.Entry entry : declared.entries()) {
            if (sources.containsKey(entry.name())) {
                problems.accept(new Problem(entry.key().position(), null, "source '" + entry.name() + "' is " + (this == BUILT_IN ? "built in" : "already declared") + " and cannot be redeclared; expected a new name"));
                continue;
            }
            if (!entry.name().matches("[a-z][a-z0-9_]{0,62}")) {
                problems.accept(new Problem(entry.key().position(), null, "source name '" + entry.name() + "' is not allowed; expected lower-case letters, digits and '_'"));
                continue;
            }
            declaration(entry, problems).ifPresent(source -> {
                merged.put(source.name(), source);
                ((YamlNode.Mapping) entry.value()).entry("sigma")
                        .ifPresent(entries -> mergedSigma.put(source.name(), new SigmaDeclaration(source.name(), entries.value(), builtIn)));
            });
        }
        return new SourceCatalog(merged, mergedSigma);
    }

    private static Optional<SourceDefinition> declaration(YamlNode.Entry entry, Consumer<Problem> problems)
    {
        List<Problem> found = new ArrayList<>();
        Consumer<Problem> report = problem -> {
            found.add(problem);
            problems.accept(problem);
        };
        if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
            report.accept(new Problem(entry.value().position(), null, "source '" + entry.name() + "' must be a map with keys " + SOURCE_KEYS + "; found " + entry.value().describe()));
            return Optional.empty();
        }
        for (YamlNode.Entry key : mapping.entries()) {
            if (!SOURCE_KEYS.contains(key.name())) {
                report.accept(new Problem(key.key().position(), null, "unknown key '" + key.name() + "' in source '" + entry.name() + "'; expected one of "
                        + SOURCE_KEYS + Suggestions.didYouMean(key.name(), SOURCE_KEYS)));
            }
        }
        String format = text(mapping, "format", report).orElse(null);
        if (format != null && !SourceDefinition.FORMATS.contains(format)) {
            report.accept(new Problem(mapping.entry("format").orElseThrow().value().position(), null, "unknown format '" + format + "' for source '" + entry.name()
                    + "'; expected one of " + SourceDefinition.FORMATS + Suggestions.didYouMean(format, SourceDefinition.FORMATS)));
        }
        Map<String, String> fields = stringMap(mapping, "fields", report);
        fields.forEach((field, type) -> {
            if (!SourceDefinition.TYPES.contains(type)) {
                SourcePosition position = ((YamlNode.Mapping) mapping.entry("fields").orElseThrow().value()).entry(field).orElseThrow().value().position();
                report.accept(new Problem(position, null, "field '" + field + "' of source '" + entry.name() + "' has unknown type '" + type + "'; expected one of "
                        + SourceDefinition.TYPES + Suggestions.didYouMean(type, SourceDefinition.TYPES)));
            }
        });
        if (fields.isEmpty() && mapping.entry("fields").isEmpty()) {
            report.accept(new Problem(mapping.position(), null, "source '" + entry.name() + "' has no 'fields'; expected a map of field name to type"));
        }
        Map<String, String> mappingOfNames = stringMap(mapping, "mapping", report);
        mappingOfNames.forEach((ecs, raw) -> {
            if (!fields.containsKey(raw)) {
                SourcePosition position = ((YamlNode.Mapping) mapping.entry("mapping").orElseThrow().value()).entry(ecs).orElseThrow().value().position();
                report.accept(new Problem(position, null, "mapping of '" + ecs + "' names field '" + raw + "', which source '" + entry.name() + "' does not have; expected one of its fields"
                        + Suggestions.didYouMean(raw, fields.keySet())));
            }
        });
        String timeField = text(mapping, "time_field", report).orElse(null);
        if (timeField != null && !fields.containsKey(timeField)) {
            report.accept(new Problem(mapping.entry("time_field").orElseThrow().value().position(), null, "time_field '" + timeField + "' is not a field of source '"
                    + entry.name() + "'" + Suggestions.didYouMean(timeField, fields.keySet())));
        }
        String location = mapping.entry("location").isPresent() ? text(mapping, "location", report).orElse(null) : SourceDefinition.DEFAULT_LOCATION;
        if (location != null && !insideTheLake(location)) {
            report.accept(new Problem(mapping.entry("location").orElseThrow().value().position(), null, "location of source '" + entry.name()
                    + "' leads outside the lake; expected a template starting with '{lake}/' without '..', such as " + SourceDefinition.DEFAULT_LOCATION));
            location = null;
        }
        String dataset = mapping.entry("dataset").isPresent() ? text(mapping, "dataset", report).orElse(null) : JobSpec.SourceSpec.defaultDataset(entry.name());
        if (!found.isEmpty() || format == null || location == null) {
            return Optional.empty();
        }
        return Optional.of(new SourceDefinition(entry.name(), format, location, timeField, fields, mappingOfNames, dataset));
    }

    /** Sources are read by the Spark job: a declaration must not point it at the host's files. */
    private static boolean insideTheLake(String location)
    {
        return location.startsWith("{lake}/") && !location.contains("..") && !location.toLowerCase(Locale.ROOT).contains("%2e") && !location.contains("\\");
    }

    private static Optional<String> text(YamlNode.Mapping mapping, String key, Consumer<Problem> report)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            report.accept(new Problem(mapping.position(), null, "missing key '" + key + "'"));
            return Optional.empty();
        }
        if (entry.get().value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
            return Optional.of(scalar.text());
        }
        report.accept(new Problem(entry.get().value().position(), null, "'" + key + "' must be a string; found " + entry.get().value().describe()));
        return Optional.empty();
    }

    private static Map<String, String> stringMap(YamlNode.Mapping mapping, String key, Consumer<Problem> report)
    {
        Map<String, String> values = new LinkedHashMap<>();
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return values;
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping map)) {
            report.accept(new Problem(entry.get().value().position(), null, "'" + key + "' must be a map of name to string; found " + entry.get().value().describe()));
            return values;
        }
        for (YamlNode.Entry item : map.entries()) {
            if (item.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
                values.put(item.name(), scalar.text());
            }
            else {
                report.accept(new Problem(item.value().position(), null, "'" + item.name() + "' in '" + key + "' must be a string; found " + item.value().describe()));
            }
        }
        return values;
    }
}
