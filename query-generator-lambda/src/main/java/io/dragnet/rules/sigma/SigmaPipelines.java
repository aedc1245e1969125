package io.dragnet.rules.sigma;

import io.dragnet.rules.Problem;
import io.dragnet.rules.SourceCatalog;
import io.dragnet.rules.internal.RuleParser;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Sigma processing pipelines in force. Sources declare the Sigma logsources their records answer under the key
 * {@code sigma} of their declaration: the built-in sources' entries form the pipeline {@value #BUILT_IN_SOURCES}, a
 * rules folder's sources.yaml's entries the pipeline {@value #FOLDER_SOURCES}. Documents with the key {@code pipeline}
 * in a rules folder add pipelines whose logsource entries are the same entries plus {@code sources}, read by the same
 * code. For a rule's logsource the most specific matching entry wins (most of product/category/service named); at equal
 * specificity a rules folder's pipeline wins over the built-in one, then the higher priority, then the later one.
 */
public final class SigmaPipelines
{
    public static final String BUILT_IN_SOURCES = "built-in sources";
    public static final String FOLDER_SOURCES = "sources.yaml";
    public static final List<String> LOGSOURCE_KEYS = List.of("product", "category", "service");
    private static final List<String> PIPELINE_KEYS = List.of("pipeline", "priority", "logsources", "placeholders");
    private static final List<String> ENTRY_KEYS = List.of("logsource", "sources", "topic", "fields", "fields_as_is", "keywords");
    private static final List<String> SOURCE_ENTRY_KEYS = ENTRY_KEYS.stream().filter(key -> !key.equals("sources")).toList();
    private static final List<String> FIELD_KEYS = List.of("field", "transform");
    private static final List<String> TRANSFORMS = Arrays.stream(SigmaPipeline.Transform.values()).map(SigmaPipeline.Transform::keyword).toList();

    private final List<SigmaPipeline> pipelines;

    private SigmaPipelines(List<SigmaPipeline> pipelines)
    {
        this.pipelines = List.copyOf(pipelines);
    }

    /**
     * The pipelines the sources of {@code catalog} declare: {@value #BUILT_IN_SOURCES} and, when a rules folder's
     * sources.yaml declares logsources, {@value #FOLDER_SOURCES}. Problems of the folder's entries are reported and those
     * entries left out; a bad built-in entry is a defect of this module.
     */
    public static SigmaPipelines ofSources(SourceCatalog catalog, Consumer<Problem> problems)
    {
        List<Problem> builtInProblems = new ArrayList<>();
        List<SigmaPipeline> read = new ArrayList<>();
        read.add(sourcesPipeline(BUILT_IN_SOURCES, false, catalog, builtInProblems::add));
        if (!builtInProblems.isEmpty()) {
            throw new IllegalStateException("the Sigma logsources of the built-in sources are invalid: " + builtInProblems);
        }
        if (catalog.sigmaDeclarations().stream().anyMatch(declaration -> !declaration.builtIn())) {
            read.add(sourcesPipeline(FOLDER_SOURCES, true, catalog, problems));
        }
        return new SigmaPipelines(read);
    }

    private static SigmaPipeline sourcesPipeline(String name, boolean userDefined, SourceCatalog catalog, Consumer<Problem> problems)
    {
        List<SigmaPipeline.LogsourceMapping> entries = new ArrayList<>();
        for (SourceCatalog.SigmaDeclaration declaration : catalog.sigmaDeclarations()) {
            if (declaration.builtIn() == userDefined) {
                continue;
            }
            Reader reader = new Reader(catalog, problems);
            if (declaration.entries() instanceof YamlNode.Sequence sequence) {
                for (YamlNode item : sequence.items()) {
                    reader.entry(item, name, declaration.source()).ifPresent(entries::add);
                }
            }
            else {
                reader.error(declaration.entries().position(), "'sigma' of source '" + declaration.source()
                        + "' must be a list of logsource entries, e.g. - {logsource: {category: dns}, topic: dns, fields: {query: query}}; found "
                        + declaration.entries().describe());
            }
        }
        return new SigmaPipeline(name, 0, userDefined, entries, Map.of());
    }

    /** True for a YAML document that declares a pipeline. */
    public static boolean isPipeline(YamlNode document)
    {
        return document instanceof YamlNode.Mapping mapping && mapping.entry("pipeline").isPresent();
    }

    /** These pipelines plus one read from a rules folder; its problems are reported and a bad pipeline is left out. */
    public SigmaPipelines with(YamlNode document, SourceCatalog catalog, Consumer<Problem> problems)
    {
        List<SigmaPipeline> all = new ArrayList<>(pipelines);
        parse(document, true, catalog, problems).ifPresent(all::add);
        return new SigmaPipelines(all);
    }

    public List<SigmaPipeline> pipelines()
    {
        return pipelines;
    }

    /** The entry that maps a rule's logsource (keys product/category/service, values lower case), if any. */
    public Optional<SigmaPipeline.LogsourceMapping> resolve(Map<String, String> logsource)
    {
        Map<SigmaPipeline.LogsourceMapping, SigmaPipeline> owners = new LinkedHashMap<>();
        for (SigmaPipeline pipeline : pipelines) {
            for (SigmaPipeline.LogsourceMapping entry : pipeline.logsources()) {
                if (entry.matches(logsource)) {
                    owners.put(entry, pipeline);
                }
            }
        }
        Comparator<SigmaPipeline.LogsourceMapping> order = Comparator.<SigmaPipeline.LogsourceMapping>comparingInt(entry -> entry.match().size())
                .thenComparing(entry -> owners.get(entry).userDefined())
                .thenComparingInt(entry -> owners.get(entry).priority());
        // the last of equals wins: a later pipeline file overrides an earlier one
        SigmaPipeline.LogsourceMapping best = null;
        for (SigmaPipeline.LogsourceMapping entry : owners.keySet()) {
            if (best == null || order.compare(entry, best) >= 0) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Values of a placeholder for the {@code expand} modifier, from the last pipeline that defines it. */
    public Optional<List<String>> placeholder(String name)
    {
        List<String> values = null;
        for (SigmaPipeline pipeline : pipelines.stream().sorted(Comparator.comparing(SigmaPipeline::userDefined).thenComparingInt(SigmaPipeline::priority)).toList()) {
            if (pipeline.placeholders().containsKey(name)) {
                values = pipeline.placeholders().get(name);
            }
        }
        return Optional.ofNullable(values);
    }

    private static Optional<SigmaPipeline> parse(YamlNode document, boolean userDefined, SourceCatalog catalog, Consumer<Problem> problems)
    {
        Reader reader = new Reader(catalog, problems);
        SigmaPipeline pipeline = reader.pipeline(document, userDefined);
        return reader.failed || pipeline == null ? Optional.empty() : Optional.of(pipeline);
    }

    private static final class Reader
    {
        private final SourceCatalog catalog;
        private final Consumer<Problem> problems;
        private boolean failed;

        Reader(SourceCatalog catalog, Consumer<Problem> problems)
        {
            this.catalog = catalog;
            this.problems = problems;
        }

        SigmaPipeline pipeline(YamlNode document, boolean userDefined)
        {
            if (!(document instanceof YamlNode.Mapping root)) {
                error(document.position(), "a Sigma pipeline must be a map with keys " + PIPELINE_KEYS + "; found " + document.describe());
                return null;
            }
            checkKeys(root, PIPELINE_KEYS, "Sigma pipeline");
            String name = text(root.entry("pipeline").orElseThrow());
            int priority = root.entry("priority").map(entry -> {
                if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.NUMBER && scalar.text().matches("-?\\d{1,6}")) {
                    return Integer.parseInt(scalar.text());
                }
                error(entry.value().position(), "'priority' is " + entry.value().describe() + "; expected a whole number");
                return 0;
            }).orElse(0);
            List<SigmaPipeline.LogsourceMapping> entries = new ArrayList<>();
            Optional<YamlNode.Entry> logsources = root.entry("logsources");
            if (logsources.isEmpty()) {
                error(root.position(), "missing key 'logsources' in Sigma pipeline; expected a list of logsource entries");
            }
            else if (logsources.get().value() instanceof YamlNode.Sequence sequence) {
                for (YamlNode item : sequence.items()) {
                    entry(item, name == null ? "?" : name, null).ifPresent(entries::add);
                }
            }
            else {
                error(logsources.get().value().position(), "'logsources' must be a list of logsource entries; found " + logsources.get().value().describe());
            }
            Map<String, List<String>> placeholders = new LinkedHashMap<>();
            root.entry("placeholders").ifPresent(entry -> {
                if (entry.value() instanceof YamlNode.Mapping mapping) {
                    for (YamlNode.Entry placeholder : mapping.entries()) {
                        placeholders.put(placeholder.name(), strings(placeholder));
                    }
                }
                else {
                    error(entry.value().position(), "'placeholders' must be a map of name to list of values; found " + entry.value().describe());
                }
            });
            return name == null ? null : new SigmaPipeline(name, priority, userDefined, entries, placeholders);
        }

        /** @param source the source whose declaration holds the entry, or null for a pipeline's entry, which names its sources */
        private Optional<SigmaPipeline.LogsourceMapping> entry(YamlNode node, String pipeline, String source)
        {
            List<String> allowed = source == null ? ENTRY_KEYS : SOURCE_ENTRY_KEYS;
            if (!(node instanceof YamlNode.Mapping mapping)) {
                error(node.position(), "a logsource entry must be a map with keys " + allowed + "; found " + node.describe());
                return Optional.empty();
            }
            checkKeys(mapping, allowed, "logsource entry");
            Map<String, String> match = new LinkedHashMap<>();
            Optional<YamlNode.Entry> logsource = mapping.entry("logsource");
            if (logsource.isPresent() && logsource.get().value() instanceof YamlNode.Mapping keys && !keys.entries().isEmpty()) {
                checkKeys(keys, LOGSOURCE_KEYS, "logsource");
                for (YamlNode.Entry key : keys.entries()) {
                    String value = text(key);
                    if (value != null) {
                        match.put(key.name(), value.toLowerCase(Locale.ROOT));
                    }
                }
            }
            else {
                error(logsource.map(entry -> entry.value().position()).orElse(mapping.position()),
                        "a logsource entry needs 'logsource', a map of " + LOGSOURCE_KEYS + " to values, e.g. {category: dns}");
            }
            List<String> sources = source != null ? List.of(source) : mapping.entry("sources").map(this::strings).orElse(List.of());
            if (source == null && (mapping.entry("sources").isEmpty() || sources.isEmpty())) {
                error(mapping.position(), "a logsource entry needs 'sources', the dragnet sources holding these records, e.g. [zeek_dns]");
            }
            mapping.entry("sources").filter(entry -> source == null).ifPresent(entry -> {
                List<YamlNode> items = entry.value() instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(entry.value());
                for (int i = 0; i < items.size() && i < sources.size(); i++) {
                    if (catalog.find(sources.get(i)).isEmpty()) {
                        error(items.get(i).position(), "unknown source '" + sources.get(i) + "'; expected one of " + catalog.names()
                                + " or a source declared in sources.yaml" + Suggestions.didYouMean(sources.get(i), catalog.names()));
                    }
                }
            });
            String topic = mapping.entry("topic").map(this::text).orElse(null);
            if (topic == null) {
                error(mapping.position(), "a logsource entry needs 'topic', one of " + RuleParser.TOPICS);
            }
            else if (!RuleParser.TOPICS.contains(topic)) {
                error(mapping.entry("topic").orElseThrow().value().position(), "unknown topic '" + topic + "'; expected one of " + RuleParser.TOPICS
                        + Suggestions.didYouMean(topic, RuleParser.TOPICS));
            }
            Map<String, SigmaPipeline.FieldMapping> fields = new LinkedHashMap<>();
            mapping.entry("fields").ifPresent(entry -> {
                if (entry.value() instanceof YamlNode.Mapping map) {
                    for (YamlNode.Entry field : map.entries()) {
                        fieldMapping(field).ifPresent(mapped -> fields.put(field.name(), mapped));
                    }
                }
                else {
                    error(entry.value().position(), "'fields' must be a map of Sigma field to source field; found " + entry.value().describe());
                }
            });
            boolean asIs = mapping.entry("fields_as_is").map(entry -> {
                if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.BOOLEAN) {
                    return Boolean.parseBoolean(scalar.text());
                }
                error(entry.value().position(), "'fields_as_is' is " + entry.value().describe() + "; expected true or false");
                return false;
            }).orElse(false);
            List<String> keywords = mapping.entry("keywords").map(this::strings).orElse(List.of());
            for (String read : sources) {
                catalog.find(read).ifPresent(definition -> {
                    fields.forEach((sigmaField, mapped) -> {
                        if (definition.resolve(mapped.field()).isEmpty()) {
                            error(((YamlNode.Mapping) mapping.entry("fields").orElseThrow().value()).entry(sigmaField).orElseThrow().value().position(),
                                    "Sigma field '" + sigmaField + "' maps to '" + mapped.field() + "', which source " + read + " does not have"
                                            + Suggestions.didYouMean(mapped.field(), definition.knownNames()));
                        }
                    });
                    for (String keyword : keywords) {
                        if (definition.resolve(keyword).isEmpty()) {
                            error(mapping.entry("keywords").orElseThrow().value().position(), "keyword field '" + keyword + "' is not a field of source " + read
                                    + Suggestions.didYouMean(keyword, definition.knownNames()));
                        }
                    }
                });
            }
            if (match.isEmpty() || sources.isEmpty() || topic == null) {
                return Optional.empty();
            }
            return Optional.of(new SigmaPipeline.LogsourceMapping(match, sources, topic, fields, asIs, keywords, pipeline, mapping.position()));
        }

        private Optional<SigmaPipeline.FieldMapping> fieldMapping(YamlNode.Entry field)
        {
            if (field.value() instanceof YamlNode.Scalar) {
                String target = text(field);
                return Optional.ofNullable(target).map(name -> new SigmaPipeline.FieldMapping(name, null));
            }
            if (field.value() instanceof YamlNode.Mapping mapping) {
                checkKeys(mapping, FIELD_KEYS, "field mapping of '" + field.name() + "'");
                String target = mapping.entry("field").map(this::text).orElse(null);
                if (target == null) {
                    error(mapping.position(), "field mapping of '" + field.name() + "' needs 'field', the source field");
                    return Optional.empty();
                }
                SigmaPipeline.Transform transform = null;
                Optional<YamlNode.Entry> transformEntry = mapping.entry("transform");
                if (transformEntry.isPresent()) {
                    String name = text(transformEntry.get());
                    if (name != null && TRANSFORMS.contains(name)) {
                        transform = SigmaPipeline.Transform.valueOf(name.toUpperCase(Locale.ROOT));
                    }
                    else if (name != null) {
                        error(transformEntry.get().value().position(), "unknown transform '" + name + "'; expected one of " + TRANSFORMS + Suggestions.didYouMean(name, TRANSFORMS));
                    }
                }
                return Optional.of(new SigmaPipeline.FieldMapping(target, transform));
            }
            error(field.value().position(), "field mapping of '" + field.name() + "' must be a source field name or a map with 'field' and 'transform'; found "
                    + field.value().describe());
            return Optional.empty();
        }

        private String text(YamlNode.Entry entry)
        {
            if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL && !scalar.text().isBlank()) {
                return scalar.text();
            }
            error(entry.value().position(), "'" + entry.name() + "' must be a non-empty string; found " + entry.value().describe());
            return null;
        }

        private List<String> strings(YamlNode.Entry entry)
        {
            List<YamlNode> items = entry.value() instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(entry.value());
            List<String> values = new ArrayList<>();
            for (YamlNode item : items) {
                if (item instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL && !scalar.text().isBlank()) {
                    values.add(scalar.text());
                }
                else {
                    error(item.position(), "'" + entry.name() + "' lists " + item.describe() + "; expected non-empty strings");
                }
            }
            return values;
        }

        private void checkKeys(YamlNode.Mapping mapping, List<String> allowed, String where)
        {
            for (YamlNode.Entry entry : mapping.entries()) {
                if (!allowed.contains(entry.name())) {
                    error(entry.key().position(), "unknown key '" + entry.name() + "' in " + where + "; expected one of " + allowed
                            + Suggestions.didYouMean(entry.name(), allowed));
                }
            }
        }

        private void error(SourcePosition position, String message)
        {
            failed = true;
            problems.accept(new Problem(position, null, message));
        }
    }
}
