package io.dragnet.rules.sigma;

import io.dragnet.rules.Problem;
import io.dragnet.rules.internal.ConditionParser;
import io.dragnet.rules.internal.LiteralChecks;
import io.dragnet.rules.internal.Selections;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.RuleParser;
import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.FieldCondition;
import io.dragnet.rules.model.Modifier;
import io.dragnet.rules.model.PreviousDay;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Selection;
import io.dragnet.rules.model.SelectionItem;
import io.dragnet.rules.model.Severity;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Status;
import io.dragnet.rules.model.Value;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one Sigma rule document into a dragnet {@link Rule} through the processing pipelines: the logsource picks the
 * sources and topic, field names are mapped, modifiers and wildcards become the dragnet comparisons with the same
 * meaning (Sigma's string matching is case-insensitive, its {@code re} case-sensitive), and what cannot be expressed
 * is refused with its position. Pure: no IO.
 */
public final class SigmaConverter
{
    private static final Pattern RULE_ID_CHARACTERS = Pattern.compile("[^a-z0-9_.\\-]");
    private static final Pattern SELECTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z0-9_\\-]+)%");
    private static final List<String> MATCH_MODIFIERS = List.of("contains", "startswith", "endswith", "re", "cidr", "exists", "gt", "gte", "lt", "lte", "fieldref");
    private static final List<String> VALUE_MODIFIERS = List.of("base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash", "expand");
    private static final List<String> FLAG_MODIFIERS = List.of("all", "cased", "i", "m", "s");
    private static final List<String> REGEX_FLAGS = List.of("i", "m", "s");
    private static final List<String> CORRELATION_KEYS = List.of("type", "rules", "group-by", "timespan", "condition", "aliases", "generate");
    private static final List<String> WINDASH_VARIANTS = List.of("-", "/", "\u2013", "\u2014", "\u2015");

    private final SigmaPipelines pipelines;
    private final String id;
    private final List<SigmaRule.Refusal> refusals = new ArrayList<>();
    private SigmaPipeline.LogsourceMapping mapping;

    private SigmaConverter(String id, SigmaPipelines pipelines)
    {
        this.id = id;
        this.pipelines = pipelines;
    }

    /** True for a YAML document shaped like a Sigma rule: a map with {@code logsource} and {@code detection}. */
    public static boolean isSigmaRule(YamlNode document)
    {
        return document instanceof YamlNode.Mapping mapping && mapping.entry("detection").isPresent() && mapping.entry("logsource").isPresent();
    }

    /**
     * True for a Sigma correlation document: a map with {@code correlation} and without the {@code topic} every dragnet
     * rule (correlation rules included) must have.
     */
    public static boolean isSigmaCorrelation(YamlNode document)
    {
        return document instanceof YamlNode.Mapping mapping && mapping.entry("correlation").isPresent() && mapping.entry("topic").isEmpty();
    }

    /** The Sigma {@code id} and {@code name} of a document, the two ways a correlation refers to a rule. */
    public static List<String> references(YamlNode document)
    {
        List<String> references = new ArrayList<>();
        if (document instanceof YamlNode.Mapping mapping) {
            string(mapping, "id").ifPresent(references::add);
            string(mapping, "name").ifPresent(references::add);
        }
        return references;
    }

    /**
     * What a correlation needs to know of the rules it refers to: the dragnet id of each Sigma {@code id} or {@code name},
     * for each dragnet id converted from a Sigma rule, the logsource entry its field names map through, and the topic of
     * every converted rule (a correlation lands in the topic of the first rule it correlates).
     */
    public record References(Map<String, String> idByReference, Map<String, SigmaPipeline.LogsourceMapping> mappingById, Map<String, String> topicById) {}

    /** Converts a Sigma correlation document ({@link #isSigmaCorrelation}) onto a dragnet correlation rule, one to one. */
    public static SigmaRule convertCorrelation(String file, int index, YamlNode document, References references)
    {
        return new SigmaConverter(ruleId(file, index), null).correlation((YamlNode.Mapping) document, references);
    }

    /**
     * The dragnet rule id of the {@code index}th (0-based) Sigma document of a file: {@code sigma.} and the file name
     * without extension in lower case, other characters as '-'; documents after the first get {@code -2}, {@code -3}, ….
     */
    public static String ruleId(String file, int index)
    {
        String name = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.(yml|yaml)$", "").toLowerCase(Locale.ROOT);
        String suffix = index == 0 ? "" : "-" + (index + 1);
        String stem = RULE_ID_CHARACTERS.matcher(name).replaceAll("-");
        return "sigma." + stem.substring(0, Math.min(stem.length(), 80 - "sigma.".length() - suffix.length())) + suffix;
    }

    /** @param file the file as shown to the user; the rule id derives from its name */
    public static SigmaRule convert(String file, int index, YamlNode document, SigmaPipelines pipelines)
    {
        return new SigmaConverter(ruleId(file, index), pipelines).rule((YamlNode.Mapping) document);
    }

    private SigmaRule rule(YamlNode.Mapping root)
    {
        String title = string(root, "title").orElse(null);
        if (title == null) {
            refuse(root.position(), "no title", "missing 'title'; expected the rule's title (Sigma requires it)");
        }
        Map<String, String> logsource = logsource(root.entry("logsource").orElseThrow());
        SigmaRule.Metadata metadata = new SigmaRule.Metadata(string(root, "id").orElse(null), string(root, "name").orElse(null), title, string(root, "status").orElse(null),
                string(root, "level").orElse(null), string(root, "author").orElse(null), string(root, "date").orElse(null), strings(root, "references"),
                strings(root, "falsepositives"), logsource, mapping == null ? null : mapping.pipeline());
        Map<String, Selection> selections = new LinkedHashMap<>();
        Condition condition = detection(root.entry("detection").orElseThrow(), selections);
        Status status = status(root);
        Severity severity = severity(root);
        if (!refusals.isEmpty() || condition == null || mapping == null) {
            return new SigmaRule(id, Optional.empty(), metadata, refusals);
        }
        List<String> tags = new ArrayList<>(strings(root, "tags"));
        Rule rule = new Rule(id, title, string(root, "description").orElse(null), mapping.topic(), metadata.author() == null ? "sigma" : metadata.author(),
                tags, status, severity, mapping.sources(), selections, condition, null, List.of(), List.of(), List.of(), null, null, metadata.uuid(), root.position());
        return new SigmaRule(id, Optional.of(rule), metadata, List.of());
    }

    private Map<String, String> logsource(YamlNode.Entry entry)
    {
        Map<String, String> logsource = new LinkedHashMap<>();
        if (!(entry.value() instanceof YamlNode.Mapping keys)) {
            refuse(entry.value().position(), "logsource is not a map", "'logsource' must be a map of product/category/service; found " + entry.value().describe());
            return logsource;
        }
        for (YamlNode.Entry key : keys.entries()) {
            if (SigmaPipelines.LOGSOURCE_KEYS.contains(key.name()) && key.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
                logsource.put(key.name(), scalar.text().toLowerCase(Locale.ROOT));
            }
        }
        Optional<SigmaPipeline.LogsourceMapping> found = pipelines.resolve(logsource);
        if (found.isEmpty()) {
            String described = logsource.entrySet().stream().map(item -> item.getKey() + ": " + item.getValue()).reduce((a, b) -> a + ", " + b).orElse("(empty)");
            refuse(entry.value().position(), "no pipeline maps logsource " + described, "logsource " + described
                    + " has no pipeline entry naming the dragnet source that holds these records; expected a pipeline in the rules folder mapping it (docs/rules.md, Sigma rules)");
        }
        else {
            mapping = found.get();
        }
        return logsource;
    }

    private Condition detection(YamlNode.Entry entry, Map<String, Selection> selections)
    {
        if (!(entry.value() instanceof YamlNode.Mapping detection)) {
            refuse(entry.value().position(), "detection is not a map", "'detection' must be a map of selections and a 'condition'; found " + entry.value().describe());
            return null;
        }
        YamlNode.Entry conditionEntry = null;
        for (YamlNode.Entry item : detection.entries()) {
            switch (item.name()) {
                case "condition" -> conditionEntry = item;
                case "timeframe" -> refuse(item.key().position(), "timeframe in detection",
                        "'timeframe' in detection belongs to Sigma's retired aggregation syntax; expected a correlation rule for counts over time");
                default -> {
                    if (!SELECTION_NAME.matcher(item.name()).matches()) {
                        refuse(item.key().position(), "selection name not a dragnet name", "selection name '" + item.name()
                                + "' has characters dragnet selection names cannot have; expected letters, digits and '_'");
                    }
                    else if (mapping != null) {
                        selection(item).ifPresent(selection -> selections.put(selection.name(), selection));
                    }
                }
            }
        }
        if (conditionEntry == null) {
            refuse(detection.position(), "no condition", "missing 'condition' in 'detection'; expected an expression over the selections");
            return null;
        }
        String text;
        if (conditionEntry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
            text = scalar.text();
        }
        else if (conditionEntry.value() instanceof YamlNode.Sequence sequence && sequence.items().stream().allMatch(item -> item instanceof YamlNode.Scalar)) {
            text = String.join(" or ", sequence.items().stream().map(item -> "(" + ((YamlNode.Scalar) item).text() + ")").toList());
        }
        else {
            refuse(conditionEntry.value().position(), "condition is not a string", "'condition' must be a string; found " + conditionEntry.value().describe());
            return null;
        }
        if (text.contains("|")) {
            refuse(conditionEntry.value().position(), "aggregation in condition",
                    "'|' in the condition is Sigma's retired aggregation syntax; expected a correlation rule for counts and values over time");
            return null;
        }
        Condition condition;
        try {
            condition = ConditionParser.parse(text, conditionEntry.value().position());
        }
        catch (ConditionParser.ConditionException e) {
            refuse(e.position(), "condition does not parse", e.getMessage());
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode.Entry item : detection.entries()) {
            if (!item.name().equals("condition") && !item.name().equals("timeframe")) {
                names.add(item.name());
            }
        }
        Condition resolved = resolveQuantifiers(condition, List.copyOf(names));
        if (resolved != null && mapping != null) {
            Set<String> used = new LinkedHashSet<>();
            collectReferences(resolved, List.copyOf(names), used);
            selections.keySet().retainAll(used);
        }
        return resolved;
    }

    /**
     * Checks references and rewrites {@code them} to the selections it means in Sigma: every selection whose name does not
     * start with '_'. Quantified patterns are kept (dragnet expands them the same way).
     */
    private Condition resolveQuantifiers(Condition condition, List<String> names)
    {
        if (condition instanceof Condition.And and) {
            List<Condition> children = and.children().stream().map(child -> resolveQuantifiers(child, names)).toList();
            return children.contains(null) ? null : new Condition.And(children);
        }
        if (condition instanceof Condition.Or or) {
            List<Condition> children = or.children().stream().map(child -> resolveQuantifiers(child, names)).toList();
            return children.contains(null) ? null : new Condition.Or(children);
        }
        if (condition instanceof Condition.Not not) {
            Condition child = resolveQuantifiers(not.child(), names);
            return child == null ? null : new Condition.Not(child);
        }
        if (condition instanceof Condition.Reference reference) {
            if (!names.contains(reference.selection())) {
                refuse(reference.position(), "condition names an unknown selection", "condition refers to '" + reference.selection()
                        + "', which is not a selection; expected one of " + names);
                return null;
            }
            return reference;
        }
        Condition.Quantified quantified = (Condition.Quantified) condition;
        if (quantified.pattern().equals("them")) {
            List<Condition> all = names.stream().filter(name -> !name.startsWith("_"))
                    .<Condition>map(name -> new Condition.Reference(name, quantified.position())).toList();
            if (all.isEmpty()) {
                refuse(quantified.position(), "condition names an unknown selection", "'them' matches no selection");
                return null;
            }
            if (names.stream().noneMatch(name -> name.startsWith("_"))) {
                return quantified;
            }
            return all.size() == 1 ? all.get(0) : quantified.all() ? new Condition.And(all) : new Condition.Or(all);
        }
        if (Selections.matching(quantified.pattern(), names).isEmpty()) {
            refuse(quantified.position(), "condition names an unknown selection", "'" + quantified.pattern() + "' matches no selection; expected a pattern matching one of " + names);
            return null;
        }
        return quantified;
    }

    private static void collectReferences(Condition condition, List<String> names, Set<String> used)
    {
        if (condition instanceof Condition.And and) {
            and.children().forEach(child -> collectReferences(child, names, used));
        }
        else if (condition instanceof Condition.Or or) {
            or.children().forEach(child -> collectReferences(child, names, used));
        }
        else if (condition instanceof Condition.Not not) {
            collectReferences(not.child(), names, used);
        }
        else if (condition instanceof Condition.Reference reference) {
            used.add(reference.selection());
        }
        else if (condition instanceof Condition.Quantified quantified) {
            used.addAll(Selections.matching(quantified.pattern(), names));
        }
    }

    private Optional<Selection> selection(YamlNode.Entry entry)
    {
        YamlNode value = entry.value();
        List<List<SelectionItem>> clauses = new ArrayList<>();
        if (value instanceof YamlNode.Mapping map) {
            clause(map).ifPresent(clauses::add);
        }
        else if (value instanceof YamlNode.Sequence sequence && !sequence.items().isEmpty() && sequence.items().stream().allMatch(YamlNode.Mapping.class::isInstance)) {
            for (YamlNode item : sequence.items()) {
                clause((YamlNode.Mapping) item).ifPresent(clauses::add);
            }
        }
        else if (value instanceof YamlNode.Sequence sequence && !sequence.items().isEmpty() && sequence.items().stream().allMatch(YamlNode.Scalar.class::isInstance)) {
            clauses.addAll(keywords(entry.key().position(), sequence.items().stream().map(item -> ((YamlNode.Scalar) item).value()).toList()));
        }
        else if (value instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL) {
            clauses.addAll(keywords(entry.key().position(), List.of(scalar.value())));
        }
        else {
            refuse(value.position(), "selection shape not supported", "selection '" + entry.name() + "' is " + value.describe()
                    + "; expected a map of field conditions, a list of such maps or a list of keywords");
        }
        return clauses.isEmpty() ? Optional.empty() : Optional.of(new Selection(entry.name(), clauses, entry.key().position()));
    }

    /** Keywords (field-less values): any of them contained in any of the text fields the pipeline names for keyword search. */
    private List<List<SelectionItem>> keywords(SourcePosition position, List<Value> values)
    {
        if (mapping.keywordFields().isEmpty()) {
            refuse(position, "keyword selection without keyword fields for " + mapping.describe(), "keyword selection, but the pipeline entry for logsource "
                    + mapping.describe() + " names no keyword fields; expected 'keywords' in the pipeline entry listing the text fields to search");
            return List.of();
        }
        List<Pattern2> patterns = new ArrayList<>();
        for (Value value : values) {
            if (value.type() == Value.Type.NULL) {
                refuse(value.position(), "null keyword", "null in a keyword list; expected text");
                return List.of();
            }
            patterns.add(new Pattern2(SigmaString.parse(value.text()).withLeadingRun().withTrailingRun(), value.position()));
        }
        List<List<SelectionItem>> clauses = new ArrayList<>();
        for (String field : mapping.keywordFields()) {
            clauses.add(List.of(strings(field, null, patterns, false, false, position)));
        }
        return clauses;
    }

    private Optional<List<SelectionItem>> clause(YamlNode.Mapping map)
    {
        if (map.entries().isEmpty()) {
            refuse(map.position(), "empty selection", "empty selection; expected at least one field condition");
            return Optional.empty();
        }
        List<SelectionItem> items = new ArrayList<>();
        int before = refusals.size();
        for (YamlNode.Entry entry : map.entries()) {
            field(entry).ifPresent(items::add);
        }
        return refusals.size() == before ? Optional.of(merged(items)) : Optional.empty();
    }

    /**
     * Two conditions of one clause on the same field with the same modifiers (e.g. {@code c-uri-query|contains} and
     * {@code c-uri-query|endswith}, both regular expressions on {@code uri}) become one with {@code all}, so the rule can
     * be written as a dragnet file (a YAML map has each key once). Only single values or {@code all} lists merge;
     * others stay apart, which compiles the same.
     */
    private static List<SelectionItem> merged(List<SelectionItem> items)
    {
        Map<String, FieldCondition> byKey = new LinkedHashMap<>();
        List<SelectionItem> rest = new ArrayList<>();
        for (SelectionItem item : items) {
            FieldCondition condition = (FieldCondition) item;
            List<Modifier> withoutAll = condition.modifiers().stream().filter(modifier -> modifier != Modifier.ALL).toList();
            String key = condition.field() + "|" + withoutAll;
            FieldCondition previous = byKey.get(key);
            boolean conjunctive = condition.has(Modifier.ALL) || condition.values().size() == 1;
            if (previous == null && conjunctive) {
                byKey.put(key, condition);
            }
            else if (previous != null && conjunctive && withoutAll.stream().noneMatch(modifier -> modifier == Modifier.EXISTS)
                    && condition.values().stream().noneMatch(value -> value.type() == Value.Type.NULL)) {
                List<Value> values = new ArrayList<>(previous.values());
                values.addAll(condition.values());
                List<Modifier> modifiers = new ArrayList<>(withoutAll);
                modifiers.add(Modifier.ALL);
                byKey.put(key, new FieldCondition(previous.field(), modifiers, values, previous.position()));
            }
            else {
                rest.add(condition);
            }
        }
        List<SelectionItem> result = new ArrayList<>(byKey.values());
        result.addAll(rest);
        return result;
    }

    private record Pattern2(SigmaString pattern, SourcePosition position) {}

    private Optional<FieldCondition> field(YamlNode.Entry entry)
    {
        SourcePosition at = entry.key().position();
        String[] parts = entry.name().split("\\|", -1);
        String sigmaField = parts[0];
        List<String> modifiers = List.of(parts).subList(1, parts.length);
        if (sigmaField.isEmpty()) {
            refuse(at, "keyword list with modifiers", "'" + entry.name() + "' applies modifiers to keywords; expected a field name before '|'");
            return Optional.empty();
        }
        for (String modifier : modifiers) {
            if (modifier.equals("fieldref")) {
                refuse(at, "modifier fieldref", "modifier 'fieldref' on '" + sigmaField + "' compares two fields of one record; dragnet's comparisons take literal values, "
                        + "so the rule cannot run (expected literal values)");
                return Optional.empty();
            }
            if (!MATCH_MODIFIERS.contains(modifier) && !VALUE_MODIFIERS.contains(modifier) && !FLAG_MODIFIERS.contains(modifier)) {
                refuse(at, "unknown modifier " + modifier, "unknown modifier '" + modifier + "' on '" + sigmaField + "'; expected one of "
                        + MATCH_MODIFIERS + ", " + VALUE_MODIFIERS + " or " + FLAG_MODIFIERS);
                return Optional.empty();
            }
        }
        List<String> comparisons = modifiers.stream().filter(MATCH_MODIFIERS::contains).toList();
        if (comparisons.size() > 1) {
            refuse(at, "several comparison modifiers", "modifiers " + comparisons + " on '" + sigmaField + "' cannot be combined; expected at most one");
            return Optional.empty();
        }
        String comparison = comparisons.isEmpty() ? null : comparisons.get(0);
        List<String> flags = modifiers.stream().filter(REGEX_FLAGS::contains).toList();
        if (!flags.isEmpty() && !"re".equals(comparison)) {
            refuse(at, "regex flag without re", "modifier '" + flags.get(0) + "' on '" + sigmaField + "' is a regular expression flag; expected it after 're'");
            return Optional.empty();
        }
        Optional<SigmaPipeline.FieldMapping> mapped = mapping.field(sigmaField);
        if (mapped.isEmpty()) {
            refuse(at, "field " + sigmaField + " has no mapping for " + mapping.describe(), "Sigma field '" + sigmaField + "' has no mapping for logsource "
                    + mapping.describe() + " in pipeline " + mapping.pipeline() + "; expected one of " + mapping.fields().keySet());
            return Optional.empty();
        }
        String field = mapped.get().field();
        SigmaPipeline.Transform transform = mapped.get().transform();
        List<Value> values = new ArrayList<>();
        if (entry.value() instanceof YamlNode.Scalar scalar) {
            values.add(scalar.value());
        }
        else if (entry.value() instanceof YamlNode.Sequence sequence && !sequence.items().isEmpty() && sequence.items().stream().allMatch(YamlNode.Scalar.class::isInstance)) {
            sequence.items().forEach(item -> values.add(((YamlNode.Scalar) item).value()));
        }
        else {
            refuse(entry.value().position(), "value is not a scalar or list", "'" + entry.name() + "' has " + entry.value().describe() + "; expected a value or a list of values");
            return Optional.empty();
        }
        boolean all = modifiers.contains("all");
        boolean cased = modifiers.contains("cased");
        if (comparison != null && List.of("cidr", "exists", "gt", "gte", "lt", "lte").contains(comparison)) {
            if (modifiers.stream().anyMatch(VALUE_MODIFIERS::contains) || cased) {
                refuse(at, "value modifier with " + comparison, "modifiers " + modifiers + " on '" + sigmaField + "': '" + comparison
                        + "' compares typed values; expected no string modifiers with it");
                return Optional.empty();
            }
            if (transform != null && (transform != SigmaPipeline.Transform.LIST_ELEMENT || !comparison.equals("exists"))) {
                refuse(at, comparison + " on a transformed field", "'" + comparison + "' on '" + sigmaField + "', which the pipeline maps to part of '" + field
                        + "' (transform " + transform.keyword() + "); expected text comparisons only");
                return Optional.empty();
            }
            Modifier modifier = Modifier.valueOf(comparison.toUpperCase(Locale.ROOT));
            List<Modifier> list = all ? List.of(modifier, Modifier.ALL) : List.of(modifier);
            return Optional.of(new FieldCondition(field, list, values, at));
        }
        if (values.stream().anyMatch(value -> value.type() == Value.Type.NULL)) {
            if (values.size() > 1 || !modifiers.isEmpty() || transform == SigmaPipeline.Transform.URI_QUERY || transform == SigmaPipeline.Transform.URI_PATH) {
                refuse(at, "null with other values or modifiers", "null on '" + sigmaField + "' with " + (values.size() > 1 ? "other values" : "modifiers or a URI part")
                        + "; expected null alone on a whole field (it means the field is unset)");
                return Optional.empty();
            }
            return Optional.of(new FieldCondition(field, List.of(), values, at));
        }
        if ("re".equals(comparison)) {
            if (transform != null || modifiers.stream().anyMatch(VALUE_MODIFIERS::contains)) {
                refuse(at, "re with a transform or value modifier", "'re' on '" + sigmaField + "' " + (transform != null ? "(mapped with transform " + transform.keyword() + ")" : "with value modifiers")
                        + "; expected a regular expression on a whole field");
                return Optional.empty();
            }
            String prefix = (flags.contains("m") ? "(?m)" : "") + (flags.contains("s") ? "(?s)" : "");
            List<Value> regexes = new ArrayList<>();
            for (Value value : values) {
                try {
                    Pattern.compile(value.text());
                }
                catch (PatternSyntaxException e) {
                    refuse(value.position(), "regular expression does not compile", "regular expression does not compile (" + e.getDescription() + " near index " + e.getIndex() + ")");
                    return Optional.empty();
                }
                regexes.add(new Value(prefix + value.text(), Value.Type.STRING, value.position()));
            }
            List<Modifier> list = new ArrayList<>(List.of(Modifier.RE));
            if (!flags.contains("i")) {
                list.add(Modifier.CASED);
            }
            if (all) {
                list.add(Modifier.ALL);
            }
            return Optional.of(new FieldCondition(field, list, regexes, at));
        }
        List<Pattern2> patterns = new ArrayList<>();
        boolean typedEquality = comparison == null && modifiers.stream().noneMatch(VALUE_MODIFIERS::contains) && transform == null
                && values.stream().allMatch(value -> value.type() == Value.Type.NUMBER || value.type() == Value.Type.BOOLEAN);
        if (typedEquality) {
            return Optional.of(new FieldCondition(field, all ? List.of(Modifier.ALL) : List.of(), values, at));
        }
        for (Value value : values) {
            List<SigmaString> transformed = valueModifiers(modifiers, value, sigmaField);
            if (transformed == null) {
                return Optional.empty();
            }
            for (SigmaString pattern : transformed) {
                SigmaString shaped = switch (comparison == null ? "" : comparison) {
                    case "contains" -> pattern.withLeadingRun().withTrailingRun();
                    case "startswith" -> pattern.withTrailingRun();
                    case "endswith" -> pattern.withLeadingRun();
                    default -> pattern;
                };
                patterns.add(new Pattern2(shaped, value.position()));
            }
        }
        return Optional.of(strings(field, transform, patterns, all, cased, at));
    }

    /** Applies expand, windash, wide/utf16* and base64/base64offset in the order written. Null after a refusal. */
    private List<SigmaString> valueModifiers(List<String> modifiers, Value value, String sigmaField)
    {
        List<SigmaString> current = List.of(SigmaString.parse(value.text()));
        List<byte[]> encoded = null;
        String encoding = null;
        for (String modifier : modifiers) {
            if (!VALUE_MODIFIERS.contains(modifier)) {
                continue;
            }
            if (encoded != null && !modifier.startsWith("base64")) {
                refuse(value.position(), encoding + " not followed by base64", "modifier '" + encoding + "' on '" + sigmaField + "' must be followed by base64 or base64offset; found '" + modifier + "'");
                return null;
            }
            switch (modifier) {
                case "expand" -> {
                    List<SigmaString> expanded = new ArrayList<>();
                    for (SigmaString string : current) {
                        List<SigmaString> out = expand(string, value, sigmaField);
                        if (out == null) {
                            return null;
                        }
                        expanded.addAll(out);
                    }
                    current = expanded;
                }
                case "windash" -> {
                    List<SigmaString> variants = new ArrayList<>();
                    for (SigmaString string : current) {
                        for (String dash : WINDASH_VARIANTS) {
                            variants.add(new SigmaString(string.parts().stream().<SigmaString.Part>map(part -> part instanceof SigmaString.Text text
                                    ? new SigmaString.Text(windash(text.text(), dash)) : part).toList()));
                        }
                    }
                    current = List.copyOf(new LinkedHashSet<>(variants));
                }
                case "wide", "utf16le", "utf16be", "utf16" -> {
                    if (current.stream().anyMatch(SigmaString::hasWildcards)) {
                        refuse(value.position(), "wildcards in an encoded value", "value of '" + sigmaField + "' has wildcards, which '" + modifier
                                + "' cannot encode; expected a plain value (escape * and ? with \\)");
                        return null;
                    }
                    encoding = modifier;
                    encoded = current.stream().map(string -> utf16(string.text(), modifier)).toList();
                }
                default -> {
                    if (encoded == null) {
                        if (current.stream().anyMatch(SigmaString::hasWildcards)) {
                            refuse(value.position(), "wildcards in an encoded value", "value of '" + sigmaField + "' has wildcards, which '" + modifier
                                    + "' cannot encode; expected a plain value (escape * and ? with \\)");
                            return null;
                        }
                        encoded = current.stream().map(string -> string.text().getBytes(StandardCharsets.UTF_8)).toList();
                    }
                    List<SigmaString> result = new ArrayList<>();
                    for (byte[] bytes : encoded) {
                        if (modifier.equals("base64")) {
                            result.add(SigmaString.literal(Base64.getEncoder().encodeToString(bytes)));
                        }
                        else {
                            base64Offsets(bytes).forEach(text -> result.add(SigmaString.literal(text)));
                        }
                    }
                    current = result;
                    encoded = null;
                    encoding = null;
                }
            }
        }
        if (encoded != null) {
            refuse(value.position(), encoding + " not followed by base64", "modifier '" + encoding + "' on '" + sigmaField
                    + "' makes UTF-16 bytes, which network logs never hold as text; expected base64 or base64offset after it");
            return null;
        }
        return current;
    }

    private List<SigmaString> expand(SigmaString string, Value value, String sigmaField)
    {
        List<List<SigmaString.Part>> variants = new ArrayList<>();
        variants.add(new ArrayList<>());
        for (SigmaString.Part part : string.parts()) {
            if (!(part instanceof SigmaString.Text text)) {
                variants.forEach(variant -> variant.add(part));
                continue;
            }
            Matcher matcher = PLACEHOLDER.matcher(text.text());
            int last = 0;
            while (matcher.find()) {
                String before = text.text().substring(last, matcher.start());
                variants.forEach(variant -> variant.add(new SigmaString.Text(before)));
                Optional<List<String>> replacements = pipelines.placeholder(matcher.group(1));
                if (replacements.isEmpty()) {
                    refuse(value.position(), "placeholder %" + matcher.group(1) + "% has no values", "placeholder '%" + matcher.group(1) + "%' in '" + sigmaField
                            + "' has no values; expected 'placeholders: {" + matcher.group(1) + ": [...]}' in a pipeline of the rules folder");
                    return null;
                }
                List<List<SigmaString.Part>> next = new ArrayList<>();
                for (List<SigmaString.Part> variant : variants) {
                    for (String replacement : replacements.get()) {
                        List<SigmaString.Part> copy = new ArrayList<>(variant);
                        copy.addAll(SigmaString.parse(replacement).parts());
                        next.add(copy);
                    }
                }
                variants = next;
                last = matcher.end();
            }
            String rest = text.text().substring(last);
            variants.forEach(variant -> variant.add(new SigmaString.Text(rest)));
        }
        return variants.stream().map(SigmaString::new).toList();
    }

    /** Sigma's windash: a '-' that starts the value or follows a space becomes {@code dash}. */
    private static String windash(String text, String dash)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '-' && (i == 0 || text.charAt(i - 1) == ' ') ? dash : String.valueOf(c));
        }
        return out.toString();
    }

    private static byte[] utf16(String text, String modifier)
    {
        return switch (modifier) {
            case "utf16be" -> text.getBytes(StandardCharsets.UTF_16BE);
            case "utf16" -> {
                byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
                byte[] withMark = new byte[body.length + 2];
                withMark[0] = (byte) 0xFF;
                withMark[1] = (byte) 0xFE;
                System.arraycopy(body, 0, withMark, 2, body.length);
                yield withMark;
            }
            default -> text.getBytes(StandardCharsets.UTF_16LE);
        };
    }

    /** The three base64 forms of {@code bytes} at any offset in a longer encoded text, without the characters that depend on the neighbours. */
    static List<String> base64Offsets(byte[] bytes)
    {
        int[] start = {0, 2, 3};
        int[] endTrim = {0, 3, 2};
        List<String> variants = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            java.util.Arrays.fill(shifted, 0, offset, (byte) ' ');
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            int end = encoded.length() - endTrim[(bytes.length + offset) % 3];
            variants.add(encoded.substring(start[offset], Math.max(start[offset], end)));
        }
        return variants;
    }

    /**
     * String patterns on one field as the simplest dragnet comparison: equals/contains/startswith/endswith when every
     * pattern has that shape, else a regular expression per pattern with Sigma's wildcard meaning. A pipeline transform
     * anchors the pattern to the part of the field the Sigma field means.
     */
    private FieldCondition strings(String field, SigmaPipeline.Transform transform, List<Pattern2> patterns, boolean all, boolean cased, SourcePosition at)
    {
        List<Modifier> modifiers = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        Set<SigmaString.Shape> shapes = new LinkedHashSet<>();
        patterns.forEach(pattern -> shapes.add(pattern.pattern().shape()));
        boolean listContains = transform == SigmaPipeline.Transform.LIST_ELEMENT && shapes.equals(Set.of(SigmaString.Shape.CONTAINS))
                && patterns.stream().noneMatch(pattern -> pattern.pattern().core().contains(","));
        if ((transform == null || listContains) && shapes.size() == 1 && !shapes.contains(SigmaString.Shape.PATTERN)) {
            switch (shapes.iterator().next()) {
                case CONTAINS -> modifiers.add(Modifier.CONTAINS);
                case STARTSWITH -> modifiers.add(Modifier.STARTSWITH);
                case ENDSWITH -> modifiers.add(Modifier.ENDSWITH);
                default -> { }
            }
            patterns.forEach(pattern -> values.add(checked(pattern.pattern().core(), pattern.position())));
        }
        else {
            modifiers.add(Modifier.RE);
            for (Pattern2 pattern : patterns) {
                String regex = transform == null ? "^" + pattern.pattern().regex(".*", ".") + "$" : switch (transform) {
                    case LIST_ELEMENT -> "^(?:.*,)?" + pattern.pattern().regex("[^,]*", "[^,]") + "(?:,.*)?$";
                    case URI_QUERY -> "^[^?]*\\?" + pattern.pattern().regex(".*", ".") + "$";
                    case URI_PATH -> "^" + pattern.pattern().regex("[^?]*", "[^?]") + "(?:\\?.*)?$";
                };
                values.add(checked("(?s)" + regex, pattern.position()));
            }
        }
        if (cased) {
            modifiers.add(Modifier.CASED);
        }
        if (all) {
            modifiers.add(Modifier.ALL);
        }
        return new FieldCondition(field, modifiers, values, at);
    }

    private Value checked(String text, SourcePosition position)
    {
        LiteralChecks.check(text, "value").ifPresent(message -> refuse(position, "value not accepted", message));
        return new Value(text, Value.Type.STRING, position);
    }

    private SigmaRule correlation(YamlNode.Mapping root, References references)
    {
        String title = string(root, "title").orElse(null);
        if (title == null) {
            refuse(root.position(), "no title", "missing 'title'; expected the rule's title (Sigma requires it)");
        }
        SigmaRule.Metadata metadata = new SigmaRule.Metadata(string(root, "id").orElse(null), string(root, "name").orElse(null), title,
                string(root, "status").orElse(null), string(root, "level").orElse(null), string(root, "author").orElse(null), string(root, "date").orElse(null),
                strings(root, "references"), strings(root, "falsepositives"), Map.of(), null);
        Status status = status(root);
        Severity severity = severity(root);
        YamlNode.Entry entry = root.entry("correlation").orElseThrow();
        if (!(entry.value() instanceof YamlNode.Mapping correlation)) {
            refuse(entry.value().position(), "correlation is not a map", "'correlation' must be a map of type, rules, group-by, timespan and condition; found "
                    + entry.value().describe());
            return new SigmaRule(id, Optional.empty(), metadata, refusals);
        }
        for (YamlNode.Entry key : correlation.entries()) {
            if (!CORRELATION_KEYS.contains(key.name())) {
                refuse(key.key().position(), "unknown correlation key", "unknown key '" + key.name() + "' in correlation; expected one of " + CORRELATION_KEYS);
            }
        }
        Correlation.Type type = null;
        Optional<String> typeName = string(correlation, "type");
        if (typeName.isEmpty()) {
            refuse(correlation.position(), "no correlation type", "missing 'type' in correlation; expected one of " + Correlation.Type.keywords());
        }
        else if (!Correlation.Type.keywords().contains(typeName.get())) {
            refuse(correlation.entry("type").orElseThrow().value().position(), "unknown correlation type", "correlation type '" + typeName.get()
                    + "' has no dragnet mapping; expected one of " + Correlation.Type.keywords());
        }
        else {
            type = Correlation.Type.valueOf(typeName.get().toUpperCase(Locale.ROOT));
        }
        List<String> rules = new ArrayList<>();
        Optional<YamlNode.Entry> rulesEntry = correlation.entry("rules");
        if (rulesEntry.isEmpty() || strings(correlation, "rules").isEmpty()) {
            refuse(rulesEntry.map(found -> found.value().position()).orElse(correlation.position()), "no correlated rules",
                    "missing 'rules' in correlation; expected the ids or names of the Sigma rules it correlates");
        }
        else {
            YamlNode value = rulesEntry.get().value();
            for (YamlNode item : value instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(value)) {
                String reference = item instanceof YamlNode.Scalar scalar ? scalar.text() : null;
                String target = reference == null ? null : references.idByReference().get(reference);
                if (target == null) {
                    refuse(item.position(), "correlated rule not found", "correlation refers to '" + (reference == null ? item.describe() : reference)
                            + "', which is the id or name of no Sigma rule of this folder; expected the id or name of a rule here");
                }
                else {
                    rules.add(target);
                }
            }
        }
        Duration timespan = null;
        Optional<YamlNode.Entry> timespanEntry = correlation.entry("timespan");
        Optional<String> timespanText = string(correlation, "timespan");
        if (timespanText.isEmpty()) {
            refuse(timespanEntry.map(found -> found.value().position()).orElse(correlation.position()), "no timespan",
                    "missing 'timespan' in correlation; expected a number and s, m, h or d, e.g. 10m");
        }
        else {
            timespan = RuleParser.unitDuration(timespanText.get()).orElse(null);
            SourcePosition at = timespanEntry.orElseThrow().value().position();
            if (timespan == null) {
                refuse(at, "timespan not a duration", "timespan '" + timespanText.get() + "' is not a duration; expected a number and s, m, h or d, e.g. 10m");
            }
            else if (timespan.compareTo(Duration.ofDays(1)) > 0) {
                refuse(at, "timespan longer than a day", "timespan " + timespanText.get()
                        + " is longer than the one day of hits a dragnet run correlates; expected at most 1d");
                timespan = null;
            }
        }
        Map<String, Map<String, String>> sigmaAliases = aliases(correlation, references);
        List<String> groupBy = new ArrayList<>();
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        for (String group : strings(correlation, "group-by")) {
            SourcePosition at = correlation.entry("group-by").orElseThrow().value().position();
            Map<String, String> perRule = new LinkedHashMap<>();
            for (String rule : rules) {
                String sigmaField = sigmaAliases.containsKey(group) ? sigmaAliases.get(group).get(rule) : group;
                if (sigmaField == null) {
                    refuse(at, "alias without the rule", "alias '" + group + "' names no field for rule '" + rule + "'; expected an entry for every correlated rule");
                    continue;
                }
                mappedField(rule, sigmaField, "group-by field", at, references).ifPresent(field -> perRule.put(rule, field));
            }
            if (perRule.size() == rules.size() && !sigmaAliases.containsKey(group) && perRule.values().stream().distinct().count() == 1) {
                groupBy.add(perRule.values().iterator().next());
            }
            else {
                groupBy.add(group);
                aliases.put(group, perRule);
            }
        }
        Correlation.CountCondition condition = correlationCondition(correlation, type, rules, references);
        if (!refusals.isEmpty() || type == null || timespan == null) {
            return new SigmaRule(id, Optional.empty(), metadata, refusals);
        }
        SigmaPipeline.LogsourceMapping first = references.mappingById().get(rules.get(0));
        String topic = first != null ? first.topic() : references.topicById().get(rules.get(0));
        Correlation model = new Correlation(type, rules, groupBy, timespan, aliases, condition, PreviousDay.READ, Map.of(), correlation.position());
        Rule rule = new Rule(id, title, string(root, "description").orElse(null), topic, metadata.author() == null ? "sigma" : metadata.author(),
                strings(root, "tags"), status, severity, List.of(), Map.of(), null, null, List.of(), List.of(), List.of(), null, model, metadata.uuid(),
                root.position());
        return new SigmaRule(id, Optional.of(rule), metadata, List.of());
    }

    /** Sigma's aliases: alias → (dragnet id of the rule → Sigma field), rule names resolved as in 'rules'. */
    private Map<String, Map<String, String>> aliases(YamlNode.Mapping correlation, References references)
    {
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        Optional<YamlNode.Entry> entry = correlation.entry("aliases");
        if (entry.isEmpty()) {
            return aliases;
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping mapping)) {
            refuse(entry.get().value().position(), "aliases not a map", "'aliases' must map alias names to {rule name: field}; found " + entry.get().value().describe());
            return aliases;
        }
        for (YamlNode.Entry alias : mapping.entries()) {
            Map<String, String> perRule = new LinkedHashMap<>();
            if (alias.value() instanceof YamlNode.Mapping byRule) {
                for (YamlNode.Entry field : byRule.entries()) {
                    String target = references.idByReference().get(field.name());
                    Optional<String> name = string(byRule, field.name());
                    if (target == null || name.isEmpty()) {
                        refuse(field.key().position(), "alias names an unknown rule", "alias '" + alias.name() + "' names '" + field.name()
                                + "', which is the name or id of no Sigma rule of this folder; expected a correlated rule and a field name");
                    }
                    else {
                        perRule.put(target, name.get());
                    }
                }
            }
            else {
                refuse(alias.value().position(), "aliases not a map", "alias '" + alias.name() + "' must map rule names to field names; found " + alias.value().describe());
            }
            aliases.put(alias.name(), perRule);
        }
        return aliases;
    }

    /** A Sigma field of a correlated rule as that rule's hits carry it: mapped through its logsource entry when it came from Sigma. */
    private Optional<String> mappedField(String rule, String sigmaField, String what, SourcePosition at, References references)
    {
        SigmaPipeline.LogsourceMapping mapping = references.mappingById().get(rule);
        if (mapping == null) {
            return Optional.of(sigmaField);
        }
        Optional<SigmaPipeline.FieldMapping> mapped = mapping.field(sigmaField);
        if (mapped.isEmpty()) {
            refuse(at, "no pipeline maps field " + sigmaField, what + " '" + sigmaField + "' of rule '" + rule + "' has no mapping in pipeline "
                    + mapping.pipeline() + " for logsource " + mapping.describe() + "; expected a field the pipeline maps");
            return Optional.empty();
        }
        if (mapped.get().transform() != null) {
            refuse(at, "correlation field needs a value transformation", what + " '" + sigmaField + "' of rule '" + rule + "' maps to " + mapped.get().field()
                    + " through " + mapped.get().transform().keyword() + "; correlations read fields as the hits hold them, expected a field mapped as it is");
            return Optional.empty();
        }
        return Optional.of(mapped.get().field());
    }

    private Correlation.CountCondition correlationCondition(YamlNode.Mapping correlation, Correlation.Type type, List<String> rules, References references)
    {
        Optional<YamlNode.Entry> entry = correlation.entry("condition");
        if (entry.isEmpty()) {
            if (type != null && !type.temporal()) {
                refuse(correlation.position(), "no condition", "missing 'condition' in a " + type.keyword() + " correlation; expected e.g. {gte: 10}");
            }
            return null;
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping condition)) {
            refuse(entry.get().value().position(), "condition not a map", "'condition' must be a map such as {gte: 10}; found " + entry.get().value().describe());
            return null;
        }
        Map<String, Double> bounds = new LinkedHashMap<>();
        String field = null;
        for (YamlNode.Entry bound : condition.entries()) {
            if (bound.name().equals("field")) {
                Optional<String> sigmaField = string(condition, "field");
                if (sigmaField.isEmpty()) {
                    refuse(bound.value().position(), "condition field not a name", "'field' must name a field; found " + bound.value().describe());
                    continue;
                }
                List<String> mapped = rules.stream().map(rule -> mappedField(rule, sigmaField.get(), "value_count field", bound.value().position(), references))
                        .flatMap(Optional::stream).distinct().toList();
                if (mapped.size() > 1) {
                    refuse(bound.value().position(), "value_count field maps differently per rule", "value_count field '" + sigmaField.get()
                            + "' is " + mapped + " in the correlated rules' sources; expected one field name for all of them");
                }
                field = mapped.isEmpty() ? sigmaField.get() : mapped.get(0);
            }
            else if (Correlation.CountCondition.OPERATORS.contains(bound.name()) && bound.value() instanceof YamlNode.Scalar scalar
                    && scalar.value().type() == Value.Type.NUMBER) {
                bounds.put(bound.name(), Double.parseDouble(scalar.text()));
            }
            else {
                refuse(bound.key().position(), "unknown condition", "condition '" + bound.name() + ": " + bound.value().describe()
                        + "' has no mapping; expected gt, gte, lt, lte or eq with a number, and field for value_count");
            }
        }
        if (bounds.isEmpty()) {
            refuse(condition.position(), "no condition bound", "correlation condition has no bound; expected one of " + Correlation.CountCondition.OPERATORS);
        }
        if (type == Correlation.Type.VALUE_COUNT && field == null) {
            refuse(condition.position(), "value_count without field", "a value_count correlation needs 'field' in its condition");
        }
        if (type != null && type != Correlation.Type.VALUE_COUNT && field != null) {
            refuse(condition.entry("field").orElseThrow().key().position(), "field outside value_count", "'field' in the condition is for value_count only");
        }
        return new Correlation.CountCondition(bounds, field, condition.position());
    }

    private Status status(YamlNode.Mapping root)
    {
        String status = string(root, "status").orElse("stable").toLowerCase(Locale.ROOT);
        return switch (status) {
            case "deprecated", "unsupported" -> Status.DISABLED;
            case "experimental", "test" -> Status.TEST;
            default -> Status.ACTIVE;
        };
    }

    private Severity severity(YamlNode.Mapping root)
    {
        String level = string(root, "level").orElse("medium").toUpperCase(Locale.ROOT);
        try {
            return Severity.valueOf(level);
        }
        catch (IllegalArgumentException e) {
            refuse(root.entry("level").orElseThrow().value().position(), "unknown level", "unknown level '" + level.toLowerCase(Locale.ROOT)
                    + "'; expected informational, low, medium, high or critical");
            return Severity.MEDIUM;
        }
    }

    private static Optional<String> string(YamlNode.Mapping mapping, String key)
    {
        return mapping.entry(key).map(YamlNode.Entry::value).filter(YamlNode.Scalar.class::isInstance).map(node -> ((YamlNode.Scalar) node).text())
                .filter(text -> text != null && !text.isBlank());
    }

    private static List<String> strings(YamlNode.Mapping mapping, String key)
    {
        Optional<YamlNode> node = mapping.entry(key).map(YamlNode.Entry::value);
        if (node.isEmpty()) {
            return List.of();
        }
        List<YamlNode> items = node.get() instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node.get());
        return items.stream().filter(YamlNode.Scalar.class::isInstance).map(item -> ((YamlNode.Scalar) item).text()).filter(text -> text != null && !text.isBlank()).toList();
    }

    private void refuse(SourcePosition position, String reason, String message)
    {
        refusals.add(new SigmaRule.Refusal(reason, new Problem(position, id, "Sigma rule cannot run: " + message)));
    }
}
