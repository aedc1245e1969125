package io.dragnet.rules.internal;

import io.dragnet.rules.Problem;
import io.dragnet.rules.model.AggregateWindow;
import io.dragnet.rules.model.Aggregation;
import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.Measure;
import io.dragnet.rules.model.MeasureExpression;
import io.dragnet.rules.model.FieldCondition;
import io.dragnet.rules.model.IocCondition;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.Modifier;
import io.dragnet.rules.model.NotifyChannel;
import io.dragnet.rules.model.PreviousDay;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Selection;
import io.dragnet.rules.model.SelectionItem;
import io.dragnet.rules.model.Severity;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Status;
import io.dragnet.rules.model.TimeWindow;
import io.dragnet.rules.model.Value;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one YAML document into a {@link Rule}, reporting every problem it finds (not only the first).
 * Checks here are those that need no source: keys, types, enumerations, the condition. Field names are checked
 * against each source's schema by the compiler.
 */
public final class RuleParser
{
    public static final List<String> RULE_KEYS = List.of("id", "title", "description", "topic", "owner", "tags", "status", "severity",
            "sources", "match", "window", "enrich", "output", "references", "falsepositives", "aggregate", "correlation", "uuid", "notify");
    public static final List<String> TOPICS = List.of("c2", "dns", "web", "nids");
    public static final List<String> ENRICHMENTS = List.of("ioc_metadata", "asset_owner", "geo", "first_last_seen", "nids_verdict");
    private static final List<String> IOC_KEYS = List.of("ioc", "values", "files", "fields", "cased", "min_confidence");
    private static final List<String> FILE_KEYS = List.of("path", "format", "column", "feed", "status_column", "active_status", "last_seen_column", "max_age_days");
    private static final List<String> FILE_FORMATS = List.of("text", "csv", "stix", "misp");
    private static final List<String> VERDICT_KEYS = List.of("malicious", "min_score", "categories");
    private static final List<String> WINDOW_KEYS = List.of("from", "to");
    private static final List<String> OUTPUT_KEYS = List.of("fields", "summary_by");
    private static final List<String> AGGREGATE_KEYS = List.of("group_by", "window", "measures", "having", "samples", "previous_day", "history");
    private static final List<String> AGGREGATE_WINDOW_KEYS = List.of("size", "slide");
    private static final List<String> PREVIOUS_DAY = List.of("read", "ignore");
    private static final List<String> CORRELATION_KEYS = List.of("type", "rules", "group_by", "group-by", "timespan", "condition", "aliases", "generate", "previous_day");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([smhd])");
    private static final Pattern MEASURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Duration DAY = Duration.ofDays(1);
    /** A sliding window puts each record in size/slide windows; more than this many is refused to bound the work. */
    public static final int MAX_WINDOWS_PER_RECORD = 48;
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,79}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Marks a condition that names an unknown selection: "unused selection" would then only repeat the same mistake. */
    private static final String UNKNOWN = "\0unknown";
    /** The shape of a sharing policy's channel names. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern SELECTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Consumer<Problem> problems;
    private final List<String> knownSources;
    private String ruleId;
    private boolean failed;

    private RuleParser(List<String> knownSources, Consumer<Problem> problems)
    {
        this.knownSources = List.copyOf(knownSources);
        this.problems = problems;
    }

    /**
     * A parsed rule. When {@code valid} is false the document had problems (all reported); the rule is still returned
     * when its selections and condition parsed, so the compiler can check its fields too and report every problem at once,
     * but it is never compiled into a job.
     */
    public record Parsed(Rule rule, boolean valid) {}

    public static Optional<Parsed> parse(YamlNode document, List<String> knownSources, Consumer<Problem> problems)
    {
        return new RuleParser(knownSources, problems).rule(document);
    }

    private Optional<Parsed> rule(YamlNode document)
    {
        if (!(document instanceof YamlNode.Mapping root)) {
            error(document.position(), "a rule must be a map of keys (id, title, topic, sources, match, ...); found " + document.describe());
            return Optional.empty();
        }
        ruleId = root.entry("id").map(entry -> entry.value() instanceof YamlNode.Scalar scalar ? scalar.text() : null).orElse(null);
        checkKeys(root, RULE_KEYS, "rule");

        String id = requiredString(root, "id");
        if (id != null && !RULE_ID.matcher(id).matches()) {
            error(root.entry("id").orElseThrow().value().position(),
                    "rule id '" + YamlNode.abbreviate(id) + "' is not allowed; expected lower-case letters, digits, '.', '_' or '-' (at most 80, starting with a letter or digit)");
        }
        String title = requiredString(root, "title");
        String description = optionalString(root, "description");
        String topic = requiredString(root, "topic");
        if (topic != null && !TOPICS.contains(topic)) {
            error(root.entry("topic").orElseThrow().value().position(),
                    "unknown topic '" + topic + "'; expected one of " + TOPICS + Suggestions.didYouMean(topic, TOPICS));
        }
        String owner = requiredString(root, "owner");
        List<String> tags = stringList(root, "tags");
        stringList(root, "references");
        stringList(root, "falsepositives");
        Status status = enumValue(root, "status", Status.class, Status.ACTIVE);
        Severity severity = enumValue(root, "severity", Severity.class, Severity.MEDIUM);
        String uuid = optionalString(root, "uuid");
        if (uuid != null && !UUID_TEXT.matcher(uuid).matches()) {
            error(root.entry("uuid").orElseThrow().value().position(), "uuid '" + YamlNode.abbreviate(uuid)
                    + "' is not a UUID; expected 32 hex digits as 8-4-4-4-12 (the Sigma id of a rule converted from Sigma)");
            uuid = null;
        }
        List<NotifyChannel> notify = notifyChannels(root);
        if (root.entry("correlation").isPresent()) {
            return correlationRule(root, id, title, description, topic, owner, tags, status, severity, uuid, notify);
        }
        List<String> sources = stringList(root, "sources");
        Optional<YamlNode.Entry> sourcesEntry = root.entry("sources");
        if (sourcesEntry.isEmpty()) {
            error(root.position(), "missing key 'sources'; expected the sources the rule reads, e.g. [zeek_conn]");
        }
        else if (sources.isEmpty() && !failed) {
            error(sourcesEntry.get().value().position(), "'sources' is empty; expected at least one source");
        }
        else {
            YamlNode sourcesNode = sourcesEntry.get().value();
            List<YamlNode> items = sourcesNode instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(sourcesNode);
            for (int i = 0; i < items.size() && i < sources.size(); i++) {
                if (!knownSources.contains(sources.get(i))) {
                    error(items.get(i).position(), "unknown source '" + sources.get(i) + "'; expected one of " + knownSources
                            + " or a source declared in sources.yaml" + Suggestions.didYouMean(sources.get(i), knownSources));
                }
            }
        }
        Map<String, Selection> selections = new LinkedHashMap<>();
        YamlNode.Mapping[] matchNode = new YamlNode.Mapping[1];
        Condition condition = match(root, selections, matchNode);
        Aggregation aggregation = null;
        Set<String> usedByMeasures = new HashSet<>();
        if (root.entry("aggregate").isPresent()) {
            aggregation = aggregation(root, selections, usedByMeasures, matchNode[0]);
            for (String key : List.of("enrich", "output")) {
                root.entry(key).ifPresent(entry -> error(entry.key().position(), "'" + key + "' applies to record rules; an aggregate rule's hits carry its group, window, "
                        + "measures and sample event ids; expected no '" + key + "'"));
            }
            if (sources.size() > 1) {
                error(sourcesEntry.orElseThrow().value().position(), "an aggregate rule reads one source; found " + sources.size()
                        + " " + sources + "; expected one (write one rule per source, or a correlation over them)");
            }
        }
        if (condition != null) {
            checkReferences(condition, selections, matchNode[0], usedByMeasures);
        }
        TimeWindow window = window(root);
        List<String> enrich = stringList(root, "enrich");
        root.entry("enrich").ifPresent(entry -> checkEnrichments(entry.value(), enrich));
        List<String> outputFields = List.of();
        List<String> summaryGroupBy = List.of();
        Optional<YamlNode.Mapping> output = optionalMapping(root, "output");
        if (output.isPresent()) {
            checkKeys(output.get(), OUTPUT_KEYS, "output");
            outputFields = stringList(output.get(), "fields");
            summaryGroupBy = stringList(output.get(), "summary_by");
        }
        if (failed) {
            if (condition == null) {
                return Optional.empty();
            }
            List<String> known = sources.stream().filter(knownSources::contains).toList();
            List<String> knownEnrichments = enrich.stream().filter(ENRICHMENTS::contains).toList();
            return Optional.of(new Parsed(new Rule(id == null ? "(no id)" : id, title, description, topic == null ? "(no topic)" : topic, owner, tags, status, severity,
                    known, selections, condition, window, knownEnrichments, outputFields, summaryGroupBy, aggregation, null, uuid, notify, root.position()), false));
        }
        return Optional.of(new Parsed(new Rule(id, title, description, topic, owner, tags, status, severity, sources, selections, condition, window,
                enrich, outputFields, summaryGroupBy, aggregation, null, uuid, notify, root.position()), true));
    }

    private Condition match(YamlNode.Mapping root, Map<String, Selection> selections, YamlNode.Mapping[] matchNode)
    {
        Optional<YamlNode.Entry> matchEntry = root.entry("match");
        if (matchEntry.isEmpty()) {
            error(root.position(), "missing key 'match'; expected named selections and a 'condition'");
            return null;
        }
        if (!(matchEntry.get().value() instanceof YamlNode.Mapping match)) {
            error(matchEntry.get().value().position(), "'match' must be a map of selections and a 'condition'; found " + matchEntry.get().value().describe());
            return null;
        }
        YamlNode.Entry conditionEntry = null;
        for (YamlNode.Entry entry : match.entries()) {
            if (entry.name().equals("condition")) {
                conditionEntry = entry;
                continue;
            }
            if (!SELECTION_NAME.matcher(entry.name()).matches()) {
                error(entry.key().position(), "selection name '" + entry.name() + "' is not allowed; expected letters, digits and '_', starting with a letter or '_'");
                continue;
            }
            selection(entry).ifPresent(selection -> selections.put(selection.name(), selection));
        }
        if (conditionEntry == null) {
            error(match.position(), "missing key 'condition' in 'match'; expected an expression over the selections, e.g. 'all of them'");
            return null;
        }
        if (!(conditionEntry.value() instanceof YamlNode.Scalar scalar) || scalar.value().type() != Value.Type.STRING) {
            error(conditionEntry.value().position(), "'condition' must be a string; found " + conditionEntry.value().describe());
            return null;
        }
        matchNode[0] = match;
        try {
            return ConditionParser.parse(scalar.text(), scalar.position());
        }
        catch (ConditionParser.ConditionException e) {
            error(e.position(), e.getMessage());
            return null;
        }
    }

    private void checkReferences(Condition condition, Map<String, Selection> selections, YamlNode.Mapping match, Set<String> usedByMeasures)
    {
        Set<String> used = new HashSet<>(usedByMeasures);
        checkReferences(condition, selections, used, match);
        if (selections.isEmpty() && match.entries().stream().allMatch(entry -> entry.name().equals("condition"))) {
            error(match.position(), "'match' has no selections; expected at least one named selection besides 'condition'");
        }
        boolean unknownReferences = used.remove(UNKNOWN);
        for (Selection selection : selections.values()) {
            if (!used.contains(selection.name()) && !unknownReferences) {
                error(selection.position(), "selection '" + selection.name() + "' is not used by the condition; expected every selection to be referenced (remove it or use it)");
            }
        }
    }

    private void checkReferences(Condition condition, Map<String, Selection> selections, Set<String> used, YamlNode.Mapping match)
    {
        if (condition instanceof Condition.And and) {
            and.children().forEach(child -> checkReferences(child, selections, used, match));
        }
        else if (condition instanceof Condition.Or or) {
            or.children().forEach(child -> checkReferences(child, selections, used, match));
        }
        else if (condition instanceof Condition.Not not) {
            checkReferences(not.child(), selections, used, match);
        }
        else if (condition instanceof Condition.Reference reference) {
            if (selections.containsKey(reference.selection())) {
                used.add(reference.selection());
            }
            else if (match.entry(reference.selection()).isEmpty()) {
                used.add(UNKNOWN);
                error(reference.position(), "condition refers to '" + reference.selection() + "', which is not a selection; expected one of "
                        + selections.keySet() + Suggestions.didYouMean(reference.selection(), selections.keySet()));
            }
        }
        else if (condition instanceof Condition.Quantified quantified) {
            List<String> matched = Selections.matching(quantified.pattern(), selections.keySet());
            if (matched.isEmpty() && !selections.isEmpty()) {
                error(quantified.position(), "'" + quantified.pattern() + "' matches no selection; expected a pattern matching one of " + selections.keySet());
            }
            used.addAll(matched);
        }
    }

    /** The optional {@code previous_day} key: read (the default) or ignore, whose meaning for the rule kind {@code meaning} explains. */
    private PreviousDay previousDay(YamlNode.Mapping mapping, String meaning)
    {
        String previous = optionalString(mapping, "previous_day");
        if (previous == null) {
            return PreviousDay.READ;
        }
        if (PREVIOUS_DAY.contains(previous)) {
            return PreviousDay.valueOf(previous.toUpperCase(Locale.ROOT));
        }
        error(mapping.entry("previous_day").orElseThrow().value().position(), "previous_day '" + previous + "' is not known; expected one of " + PREVIOUS_DAY
                + " (read: " + meaning + ")" + Suggestions.didYouMean(previous, PREVIOUS_DAY));
        return PreviousDay.READ;
    }

    private Optional<Parsed> correlationRule(YamlNode.Mapping root, String id, String title, String description, String topic, String owner,
            List<String> tags, Status status, Severity severity, String uuid, List<NotifyChannel> notify)
    {
        for (String key : List.of("sources", "match", "window", "enrich", "output", "aggregate")) {
            root.entry(key).ifPresent(entry -> error(entry.key().position(), "a correlation rule reads other rules' hits and takes no '" + key
                    + "'; expected 'correlation' alone (put '" + key + "' on the rules it correlates)"));
        }
        Optional<YamlNode.Mapping> node = optionalMapping(root, "correlation");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping mapping = node.get();
        checkKeys(mapping, CORRELATION_KEYS, "correlation");
        String typeName = requiredString(mapping, "type");
        Correlation.Type type = null;
        if (typeName != null) {
            if (Correlation.Type.keywords().contains(typeName)) {
                type = Correlation.Type.valueOf(typeName.toUpperCase(Locale.ROOT));
            }
            else {
                error(mapping.entry("type").orElseThrow().value().position(), "unknown correlation type '" + typeName + "'; expected one of "
                        + Correlation.Type.keywords() + Suggestions.didYouMean(typeName, Correlation.Type.keywords()));
            }
        }
        List<String> rules = stringList(mapping, "rules");
        if (mapping.entry("rules").isEmpty()) {
            error(mapping.position(), "missing key 'rules'; expected the ids of the rules whose hits are correlated");
        }
        else if (rules.isEmpty() && !failed) {
            error(mapping.entry("rules").orElseThrow().value().position(), "'rules' is empty; expected at least one rule id");
        }
        if (type != null && type.temporal() && rules.size() == 1) {
            error(mapping.entry("rules").orElseThrow().value().position(), "a " + type.keyword() + " correlation needs at least two rules; found one");
        }
        if (mapping.entry("group_by").isPresent() && mapping.entry("group-by").isPresent()) {
            error(mapping.entry("group-by").orElseThrow().key().position(), "'group_by' and 'group-by' are the same key; expected one of them");
        }
        List<String> groupBy = mapping.entry("group_by").isPresent() ? stringList(mapping, "group_by") : stringList(mapping, "group-by");
        Duration timespan = null;
        Optional<YamlNode.Entry> timespanEntry = mapping.entry("timespan");
        if (timespanEntry.isEmpty()) {
            error(mapping.position(), "missing key 'timespan'; expected how close the hits must be, e.g. 10m");
        }
        else {
            timespan = duration(timespanEntry.get(), "timespan");
            if (timespan != null && timespan.compareTo(DAY) > 0) {
                error(timespanEntry.get().value().position(), "timespan " + text(timespanEntry.get()) + " is longer than the one day of data a run reads; expected at most 1d");
                timespan = null;
            }
        }
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        optionalMapping(mapping, "aliases").ifPresent(aliasMapping -> {
            for (YamlNode.Entry alias : aliasMapping.entries()) {
                if (!(alias.value() instanceof YamlNode.Mapping byRule)) {
                    error(alias.value().position(), "alias '" + alias.name() + "' must map rule ids to field names; found " + alias.value().describe());
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (YamlNode.Entry field : byRule.entries()) {
                    String name = string(field);
                    if (name != null) {
                        if (!rules.contains(field.name())) {
                            error(field.key().position(), "alias '" + alias.name() + "' names rule '" + field.name() + "', which the correlation does not list; expected one of "
                                    + rules + Suggestions.didYouMean(field.name(), rules));
                        }
                        fields.put(field.name(), name);
                    }
                }
                aliases.put(alias.name(), fields);
            }
        });
        mapping.entry("generate").ifPresent(entry -> scalarOfType(entry, Value.Type.BOOLEAN, "true or false"));
        Correlation.CountCondition condition = countCondition(mapping, type);
        PreviousDay previousDay = previousDay(mapping, "windows that start before the day read the previous day's hits; ignore: a run correlates its own day's hits only and marks windows reaching past midnight truncated");
        if (failed || type == null || timespan == null) {
            return Optional.empty();
        }
        Map<String, SourcePosition> entryPositions = new LinkedHashMap<>(positions(mapping, mapping.entry("group_by").isPresent() ? "group_by" : "group-by"));
        entryPositions.putAll(positions(mapping, "rules"));
        Correlation correlation = new Correlation(type, rules, groupBy, timespan, aliases, condition, previousDay, entryPositions, mapping.position());
        return Optional.of(new Parsed(new Rule(id, title, description, topic, owner, tags, status, severity, List.of(), Map.of(), null, null,
                List.of(), List.of(), List.of(), null, correlation, uuid, notify, root.position()), true));
    }

    private Correlation.CountCondition countCondition(YamlNode.Mapping mapping, Correlation.Type type)
    {
        Optional<YamlNode.Entry> entry = mapping.entry("condition");
        if (entry.isEmpty()) {
            if (type != null && !type.temporal()) {
                error(mapping.position(), "missing key 'condition'; a " + type.keyword() + " correlation needs one, e.g. {gte: 10}"
                        + (type == Correlation.Type.VALUE_COUNT ? " with 'field'" : ""));
            }
            return null;
        }
        if (!(entry.get().value() instanceof YamlNode.Mapping condition)) {
            error(entry.get().value().position(), "'condition' must be a map such as {gte: 10}; found " + entry.get().value().describe());
            return null;
        }
        List<String> keys = new ArrayList<>(Correlation.CountCondition.OPERATORS);
        keys.add("field");
        checkKeys(condition, keys, "correlation condition");
        Map<String, Double> bounds = new LinkedHashMap<>();
        for (YamlNode.Entry bound : condition.entries()) {
            if (Correlation.CountCondition.OPERATORS.contains(bound.name())) {
                scalarOfType(bound, Value.Type.NUMBER, "a number").ifPresent(value -> bounds.put(bound.name(), Double.parseDouble(value.text())));
            }
        }
        if (bounds.isEmpty()) {
            error(condition.position(), "correlation condition has no bound; expected at least one of " + Correlation.CountCondition.OPERATORS);
        }
        String field = optionalString(condition, "field");
        if (type == Correlation.Type.VALUE_COUNT && field == null && condition.entry("field").isEmpty()) {
            error(condition.position(), "a value_count correlation needs 'field' in its condition; expected the field whose distinct values are counted");
        }
        if (type != null && type != Correlation.Type.VALUE_COUNT && field != null) {
            error(condition.entry("field").orElseThrow().key().position(), "'field' in the condition is for value_count only; a " + type.keyword() + " correlation counts "
                    + (type.temporal() ? "distinct rules" : "hits"));
        }
        return new Correlation.CountCondition(bounds, field, condition.position());
    }

    private Aggregation aggregation(YamlNode.Mapping root, Map<String, Selection> selections, Set<String> usedSelections, YamlNode.Mapping match)
    {
        Optional<YamlNode.Mapping> node = optionalMapping(root, "aggregate");
        if (node.isEmpty()) {
            return null;
        }
        YamlNode.Mapping mapping = node.get();
        checkKeys(mapping, AGGREGATE_KEYS, "aggregate");
        List<Aggregation.FieldReference> groupBy = new ArrayList<>();
        Optional<YamlNode.Entry> groupEntry = mapping.entry("group_by");
        if (groupEntry.isEmpty()) {
            error(mapping.position(), "missing key 'group_by' in 'aggregate'; expected the fields that make a group, e.g. [source.ip]");
        }
        else {
            YamlNode value = groupEntry.get().value();
            for (YamlNode item : value instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(value)) {
                if (item instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING && !scalar.text().isBlank()) {
                    if (groupBy.stream().anyMatch(field -> field.name().equals(scalar.text()))) {
                        error(item.position(), "group_by names '" + scalar.text() + "' twice; expected each field once");
                    }
                    groupBy.add(new Aggregation.FieldReference(scalar.text(), scalar.position()));
                }
                else {
                    error(item.position(), "'group_by' lists " + item.describe() + "; expected field names");
                }
            }
            if (groupBy.isEmpty() && value instanceof YamlNode.Sequence) {
                error(value.position(), "'group_by' is empty; expected at least one field");
            }
        }
        AggregateWindow window = aggregateWindow(mapping);
        List<Measure> measures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Optional<YamlNode.Entry> measuresEntry = mapping.entry("measures");
        if (measuresEntry.isEmpty()) {
            error(mapping.position(), "missing key 'measures' in 'aggregate'; expected named measures, e.g. {hosts: count_distinct(destination.ip)}");
        }
        else if (!(measuresEntry.get().value() instanceof YamlNode.Mapping measureMapping) || measureMapping.entries().isEmpty()) {
            error(measuresEntry.get().value().position(), "'measures' must be a map of measure name to expression; found " + measuresEntry.get().value().describe());
        }
        else {
            for (YamlNode.Entry entry : measureMapping.entries()) {
                if (!MEASURE_NAME.matcher(entry.name()).matches() || entry.name().startsWith("_")) {
                    error(entry.key().position(), "measure name '" + YamlNode.abbreviate(entry.name()) + "' is not allowed; expected letters, digits and '_', starting with a letter");
                    continue;
                }
                if (names.contains(entry.name())) {
                    error(entry.key().position(), "measure '" + entry.name() + "' is defined twice; expected each name once");
                    continue;
                }
                if (MeasureExpression.Function.keywords().contains(entry.name()) && !entry.name().equals("count")) {
                    error(entry.key().position(), "measure name '" + entry.name() + "' is a function name; expected another name");
                    continue;
                }
                expression(entry, "measure '" + entry.name() + "'", names, selections, usedSelections, match, Type.NUMBER)
                        .ifPresent(expression -> measures.add(new Measure(entry.name(), expression, entry.key().position())));
                names.add(entry.name());
            }
        }
        MeasureExpression having = null;
        Optional<YamlNode.Entry> havingEntry = mapping.entry("having");
        if (havingEntry.isEmpty()) {
            error(mapping.position(), "missing key 'having' in 'aggregate'; expected a condition over the measures, e.g. 'hosts >= 100'");
        }
        else {
            having = expression(havingEntry.get(), "having", names, selections, usedSelections, match, Type.BOOLEAN).orElse(null);
        }
        int samples = Aggregation.DEFAULT_SAMPLES;
        Optional<YamlNode.Entry> samplesEntry = mapping.entry("samples");
        if (samplesEntry.isPresent()) {
            Optional<Value> value = scalarOfType(samplesEntry.get(), Value.Type.NUMBER, "a whole number from 0 to " + Aggregation.MAX_SAMPLES);
            if (value.isPresent()) {
                if (!value.get().text().matches("\\d{1,3}") || Integer.parseInt(value.get().text()) > Aggregation.MAX_SAMPLES) {
                    error(value.get().position(), "samples " + value.get().text() + " is out of range; expected a whole number from 0 to " + Aggregation.MAX_SAMPLES);
                }
                else {
                    samples = Integer.parseInt(value.get().text());
                }
            }
        }
        PreviousDay previousDay = previousDay(mapping, "windows that start before the day read the previous day's tail; ignore: such windows are not reported");
        Duration history = null;
        Optional<YamlNode.Entry> historyEntry = mapping.entry("history");
        if (historyEntry.isPresent()) {
            history = duration(historyEntry.get(), "history");
            if (history != null && (history.toSeconds() % DAY.toSeconds() != 0 || history.toDays() > 90)) {
                error(historyEntry.get().value().position(), "history " + text(historyEntry.get()) + " is not a whole number of days up to 90d; expected e.g. 14d");
                history = null;
            }
        }
        boolean usesHistory = measures.stream().anyMatch(measure -> usesHistory(measure.expression())) || (having != null && usesHistory(having));
        if (usesHistory && historyEntry.isEmpty()) {
            error(mapping.position(), "the measures look at earlier days (count_new, history_avg, history_max) but 'aggregate' has no 'history'; expected e.g. 'history: 14d'");
        }
        if (!usesHistory && historyEntry.isPresent()) {
            error(historyEntry.get().key().position(), "'history' is set but no measure looks at earlier days; expected count_new, history_avg or history_max, or no 'history'");
        }
        if (window == null || having == null || groupBy.isEmpty() || measuresEntry.isEmpty()) {
            return null;
        }
        return new Aggregation(groupBy, window, measures, having, samples, previousDay, history, mapping.position());
    }

    private static boolean usesHistory(MeasureExpression expression)
    {
        if (expression instanceof MeasureExpression.Aggregate aggregate) {
            return aggregate.function().overHistory() || aggregate.function() == MeasureExpression.Function.COUNT_NEW;
        }
        if (expression instanceof MeasureExpression.Ratio ratio) {
            return usesHistory(ratio.numerator()) || usesHistory(ratio.denominator());
        }
        if (expression instanceof MeasureExpression.Binary binary) {
            return usesHistory(binary.left()) || usesHistory(binary.right());
        }
        if (expression instanceof MeasureExpression.Not not) {
            return usesHistory(not.child());
        }
        return false;
    }

    private enum Type { NUMBER, BOOLEAN }

    private Optional<MeasureExpression> expression(YamlNode.Entry entry, String what, List<String> measures, Map<String, Selection> selections,
            Set<String> usedSelections, YamlNode.Mapping match, Type expected)
    {
        if (!(entry.value() instanceof YamlNode.Scalar scalar) || scalar.value().type() == Value.Type.NULL || scalar.value().type() == Value.Type.BOOLEAN) {
            error(entry.value().position(), what + " must be an expression; found " + entry.value().describe());
            return Optional.empty();
        }
        MeasureExpression expression;
        try {
            expression = MeasureParser.parse(scalar.text(), scalar.position(), measures, what);
        }
        catch (ConditionParser.ConditionException e) {
            error(e.position(), e.getMessage());
            return Optional.empty();
        }
        Optional<Type> type = typeOf(expression, what);
        if (type.isPresent() && type.get() != expected) {
            error(expression.position(), expected == Type.BOOLEAN
                    ? what + " is a number; expected a condition such as 'hosts >= 100'"
                    : what + " is a condition; expected a number such as 'count_distinct(destination.ip)' (conditions go in 'having')");
        }
        checkFilters(expression, selections, usedSelections, match);
        return type.isPresent() && type.get() == expected ? Optional.of(expression) : Optional.empty();
    }

    private void checkFilters(MeasureExpression expression, Map<String, Selection> selections, Set<String> used, YamlNode.Mapping match)
    {
        if (expression instanceof MeasureExpression.Aggregate aggregate && aggregate.filter() != null && match != null) {
            checkReferences(aggregate.filter(), selections, used, match);
        }
        else if (expression instanceof MeasureExpression.Ratio ratio) {
            checkFilters(ratio.numerator(), selections, used, match);
            checkFilters(ratio.denominator(), selections, used, match);
        }
        else if (expression instanceof MeasureExpression.Binary binary) {
            checkFilters(binary.left(), selections, used, match);
            checkFilters(binary.right(), selections, used, match);
        }
        else if (expression instanceof MeasureExpression.Not not) {
            checkFilters(not.child(), selections, used, match);
        }
    }

    /** The type of an expression, or empty after reporting a mismatch inside it. */
    private Optional<Type> typeOf(MeasureExpression expression, String what)
    {
        if (expression instanceof MeasureExpression.Binary binary) {
            Optional<Type> left = typeOf(binary.left(), what);
            Optional<Type> right = typeOf(binary.right(), what);
            if (left.isEmpty() || right.isEmpty()) {
                return Optional.empty();
            }
            Type operands = binary.operator().logical() ? Type.BOOLEAN : Type.NUMBER;
            if (left.get() != operands || right.get() != operands) {
                error(binary.position(), "'" + binary.operator().symbol() + "' in " + what + " needs " + (operands == Type.BOOLEAN ? "conditions" : "numbers")
                        + " on both sides; found " + describe(left.get()) + " and " + describe(right.get()));
                return Optional.empty();
            }
            return Optional.of(binary.operator().logical() || binary.operator().comparison() ? Type.BOOLEAN : Type.NUMBER);
        }
        if (expression instanceof MeasureExpression.Not not) {
            Optional<Type> child = typeOf(not.child(), what);
            if (child.isPresent() && child.get() != Type.BOOLEAN) {
                error(not.position(), "'not' in " + what + " needs a condition; found a number");
                return Optional.empty();
            }
            return child.map(ignored -> Type.BOOLEAN);
        }
        if (expression instanceof MeasureExpression.Ratio ratio) {
            Optional<Type> numerator = typeOf(ratio.numerator(), what);
            Optional<Type> denominator = typeOf(ratio.denominator(), what);
            if (numerator.isEmpty() || denominator.isEmpty()) {
                return Optional.empty();
            }
            if (numerator.get() != Type.NUMBER || denominator.get() != Type.NUMBER) {
                error(ratio.position(), "ratio(a, b) in " + what + " needs two numbers; found " + describe(numerator.get()) + " and " + describe(denominator.get()));
                return Optional.empty();
            }
            return Optional.of(Type.NUMBER);
        }
        return Optional.of(Type.NUMBER);
    }

    private static String describe(Type type)
    {
        return type == Type.BOOLEAN ? "a condition" : "a number";
    }

    private AggregateWindow aggregateWindow(YamlNode.Mapping mapping)
    {
        Optional<YamlNode.Entry> entry = mapping.entry("window");
        if (entry.isEmpty()) {
            error(mapping.position(), "missing key 'window' in 'aggregate'; expected a window such as 5m, 1h or {size: 1h, slide: 10m}");
            return null;
        }
        Duration size;
        Duration slide;
        SourcePosition position = entry.get().value().position();
        if (entry.get().value() instanceof YamlNode.Mapping window) {
            checkKeys(window, AGGREGATE_WINDOW_KEYS, "window");
            Optional<YamlNode.Entry> sizeEntry = window.entry("size");
            if (sizeEntry.isEmpty()) {
                error(window.position(), "missing key 'size' in 'window'; expected e.g. {size: 1h, slide: 10m}");
                return null;
            }
            size = duration(sizeEntry.get(), "window size");
            slide = window.entry("slide").map(slideEntry -> duration(slideEntry, "window slide")).orElse(size);
            if (window.entry("slide").isPresent() && slide == null) {
                return null;
            }
        }
        else {
            size = duration(entry.get(), "window");
            slide = size;
        }
        if (size == null) {
            return null;
        }
        if (size.compareTo(DAY) > 0) {
            error(position, "window " + format(size) + " is longer than the one day of data a run reads; expected at most 1d");
            return null;
        }
        if (DAY.toSeconds() % size.toSeconds() != 0 && size.equals(slide)) {
            error(position, "window " + format(size) + " does not divide the day; expected a size that does (e.g. 5m, 10m, 15m, 1h, 2h, 6h, 1d) so windows align to midnight UTC");
            return null;
        }
        if (!size.equals(slide)) {
            if (slide.compareTo(size) > 0) {
                error(position, "window slide " + format(slide) + " is longer than its size " + format(size) + "; expected a slide no longer than the size (records between windows would be lost)");
                return null;
            }
            if (size.toSeconds() % slide.toSeconds() != 0 || DAY.toSeconds() % slide.toSeconds() != 0) {
                error(position, "window slide " + format(slide) + " must divide both the size " + format(size) + " and the day; expected e.g. {size: 1h, slide: 10m}");
                return null;
            }
            if (size.toSeconds() / slide.toSeconds() > MAX_WINDOWS_PER_RECORD) {
                error(position, "window {size: " + format(size) + ", slide: " + format(slide) + "} puts each record in " + size.toSeconds() / slide.toSeconds()
                        + " windows; expected at most " + MAX_WINDOWS_PER_RECORD + " (a longer slide)");
                return null;
            }
        }
        return new AggregateWindow(size, slide, position);
    }

    private Duration duration(YamlNode.Entry entry, String what)
    {
        String text = text(entry);
        Matcher matcher = text == null ? null : DURATION.matcher(text);
        if (matcher == null || !matcher.matches()) {
            error(entry.value().position(), what + " " + (text == null ? entry.value().describe() : "'" + YamlNode.abbreviate(text) + "'")
                    + " is not a duration; expected a whole number and a unit s, m, h or d, e.g. 5m");
            return null;
        }
        return unitDuration(text).orElseThrow();
    }

    /** A whole number and a unit s, m, h or d ({@code 5m}, {@code 1d}), as rules and feeds files write durations. */
    public static Optional<Duration> unitDuration(String text)
    {
        Matcher matcher = text == null ? null : DURATION.matcher(text);
        if (matcher == null || !matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    private static String text(YamlNode.Entry entry)
    {
        return entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL ? scalar.text() : null;
    }

    /** A duration as a rule writes it: the largest unit that divides it. */
    public static String format(Duration duration)
    {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private Optional<Selection> selection(YamlNode.Entry entry)
    {
        List<List<SelectionItem>> clauses = new ArrayList<>();
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Mapping mapping) {
            clauses.add(clause(mapping));
        }
        else if (value instanceof YamlNode.Sequence sequence && !sequence.items().isEmpty()) {
            for (YamlNode item : sequence.items()) {
                if (item instanceof YamlNode.Mapping mapping) {
                    clauses.add(clause(mapping));
                }
                else {
                    error(item.position(), "selection '" + entry.name() + "' lists " + item.describe() + "; expected maps of field conditions (any of them may match)");
                }
            }
        }
        else {
            error(value.position(), "selection '" + entry.name() + "' must be a map of field conditions, an 'ioc' map or a list of maps; found " + value.describe());
            return Optional.empty();
        }
        return Optional.of(new Selection(entry.name(), clauses, entry.key().position()));
    }

    private List<SelectionItem> clause(YamlNode.Mapping mapping)
    {
        if (mapping.entries().isEmpty()) {
            error(mapping.position(), "empty selection; expected at least one field condition");
            return List.of();
        }
        if (mapping.entry("ioc").isPresent()) {
            return iocCondition(mapping).<List<SelectionItem>>map(List::of).orElse(List.of());
        }
        List<SelectionItem> items = new ArrayList<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            if (entry.name().equals("verdict")) {
                items.addAll(verdict(entry));
            }
            else {
                fieldCondition(entry).ifPresent(items::add);
            }
        }
        return items;
    }

    private Optional<FieldCondition> fieldCondition(YamlNode.Entry entry)
    {
        String[] parts = entry.name().split("\\|", -1);
        String field = parts[0];
        if (field.isEmpty()) {
            error(entry.key().position(), "field name is empty in '" + entry.name() + "'; expected 'field' or 'field|modifier'");
            return Optional.empty();
        }
        List<Modifier> modifiers = new ArrayList<>();
        for (String name : Arrays.asList(parts).subList(1, parts.length)) {
            Optional<Modifier> modifier = Arrays.stream(Modifier.values()).filter(candidate -> candidate.keyword().equals(name)).findFirst();
            if (modifier.isEmpty()) {
                error(entry.key().position(), "unknown modifier '" + name + "' on field '" + field + "'; expected one of " + Modifier.keywords()
                        + Suggestions.didYouMean(name, Modifier.keywords()));
                return Optional.empty();
            }
            if (modifiers.contains(modifier.get())) {
                error(entry.key().position(), "modifier '" + name + "' is written twice on field '" + field + "'; expected each modifier once");
                return Optional.empty();
            }
            modifiers.add(modifier.get());
        }
        List<Modifier> comparisons = modifiers.stream().filter(Modifier::isComparison).toList();
        if (comparisons.size() > 1) {
            error(entry.key().position(), "modifiers " + comparisons.stream().map(Modifier::keyword).toList() + " on field '" + field
                    + "' cannot be combined; expected at most one comparison modifier (use two selections for two comparisons)");
            return Optional.empty();
        }
        if (modifiers.contains(Modifier.ENTROPY) && (comparisons.size() != 1 || !List.of(Modifier.GT, Modifier.GTE, Modifier.LT, Modifier.LTE).contains(comparisons.get(0))
                || modifiers.contains(Modifier.ALL) || modifiers.contains(Modifier.CASED))) {
            error(entry.key().position(), "modifier 'entropy' on field '" + field + "' compares the value's character entropy (bits per character) with a number; "
                    + "expected it with one of gt, gte, lt, lte and nothing else, e.g. '" + field + "|entropy|gte: 3.5'");
            return Optional.empty();
        }
        List<Value> values = new ArrayList<>();
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar) {
            values.add(scalar.value());
        }
        else if (value instanceof YamlNode.Sequence sequence) {
            if (sequence.items().isEmpty()) {
                error(sequence.position(), "field '" + field + "' has an empty list of values; expected at least one value");
                return Optional.empty();
            }
            for (YamlNode item : sequence.items()) {
                if (item instanceof YamlNode.Scalar scalar) {
                    values.add(scalar.value());
                }
                else {
                    error(item.position(), "field '" + field + "' lists " + item.describe() + "; expected strings, numbers or booleans");
                }
            }
        }
        else {
            error(value.position(), "field '" + field + "' has " + value.describe() + " as its value; expected a value or a list of values"
                    + (entry.name().equals("ioc") ? "" : (field.equals("ioc") ? "" : " (IoC sets are written as a selection with key 'ioc')")));
            return Optional.empty();
        }
        for (Value literal : values) {
            LiteralChecks.check(literal.text(), "value of field '" + field + "'").ifPresent(message -> error(literal.position(), message));
        }
        return Optional.of(new FieldCondition(field, modifiers, values, entry.key().position()));
    }

    private List<SelectionItem> verdict(YamlNode.Entry entry)
    {
        if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
            error(entry.value().position(), "'verdict' must be a map with keys " + VERDICT_KEYS + "; found " + entry.value().describe());
            return List.of();
        }
        checkKeys(mapping, VERDICT_KEYS, "verdict");
        List<SelectionItem> items = new ArrayList<>();
        for (YamlNode.Entry item : mapping.entries()) {
            switch (item.name()) {
                case "malicious" -> scalarOfType(item, Value.Type.BOOLEAN, "true or false").ifPresent(value ->
                        items.add(new FieldCondition("nids.predicted_malicious", List.of(), List.of(value), item.key().position())));
                case "min_score" -> scalarOfType(item, Value.Type.NUMBER, "a score between 0 and 1").ifPresent(value ->
                        items.add(new FieldCondition("nids.score", List.of(Modifier.GTE), List.of(value), item.key().position())));
                case "categories" -> {
                    List<String> categories = stringList(mapping, "categories");
                    if (!categories.isEmpty()) {
                        List<Value> values = categories.stream().map(text -> new Value(text, Value.Type.STRING, item.value().position())).toList();
                        items.add(new FieldCondition("nids.attack_category", List.of(), values, item.key().position()));
                    }
                }
                default -> { }
            }
        }
        return items;
    }

    private Optional<IocCondition> iocCondition(YamlNode.Mapping mapping)
    {
        checkKeys(mapping, IOC_KEYS, "ioc selection");
        YamlNode.Entry kindEntry = mapping.entry("ioc").orElseThrow();
        String kindName = kindEntry.value() instanceof YamlNode.Scalar scalar ? scalar.text() : null;
        Optional<IocKind> kind = Arrays.stream(IocKind.values()).filter(candidate -> candidate.keyword().equals(kindName)).findFirst();
        if (kind.isEmpty()) {
            error(kindEntry.value().position(), "unknown IoC kind " + (kindName == null ? kindEntry.value().describe() : "'" + kindName + "'")
                    + "; expected one of " + IocKind.keywords() + (kindName == null ? "" : Suggestions.didYouMean(kindName, IocKind.keywords())));
            return Optional.empty();
        }
        List<String> fields = stringList(mapping, "fields");
        if (kind.get() == IocKind.KEYWORD && fields.isEmpty()) {
            error(kindEntry.key().position(), "'ioc: keyword' needs 'fields'; expected the fields to search for the keywords, e.g. [user_agent.original]");
        }
        List<Value> values = new ArrayList<>();
        mapping.entry("values").ifPresent(entry -> {
            if (entry.value() instanceof YamlNode.Sequence sequence) {
                for (YamlNode item : sequence.items()) {
                    if (item instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL) {
                        values.add(scalar.value());
                    }
                    else {
                        error(item.position(), "'values' lists " + item.describe() + "; expected indicator strings");
                    }
                }
            }
            else if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL) {
                values.add(scalar.value());
            }
            else {
                error(entry.value().position(), "'values' must be a list of indicators; found " + entry.value().describe());
            }
        });
        List<IocFileReference> files = new ArrayList<>();
        mapping.entry("files").ifPresent(entry -> {
            List<YamlNode> items = entry.value() instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(entry.value());
            for (YamlNode item : items) {
                fileReference(item).ifPresent(files::add);
            }
        });
        if (values.isEmpty() && files.isEmpty()) {
            error(kindEntry.key().position(), "IoC selection has no indicators; expected 'values', 'files' or both");
        }
        boolean cased = mapping.entry("cased").map(entry -> scalarOfType(entry, Value.Type.BOOLEAN, "true or false")
                .map(value -> Boolean.parseBoolean(value.text())).orElse(false)).orElse(false);
        for (Value literal : values) {
            LiteralChecks.check(literal.text(), "indicator").ifPresent(message -> error(literal.position(), message));
        }
        Integer minConfidence = mapping.entry("min_confidence").flatMap(entry -> wholeNumber(entry, 0, 100)).orElse(null);
        return Optional.of(new IocCondition(kind.get(), fields, values, files, cased, minConfidence, kindEntry.key().position()));
    }

    private Optional<IocFileReference> fileReference(YamlNode node)
    {
        if (node instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING) {
            return Optional.of(new IocFileReference(scalar.text(), null, null, null, scalar.position()));
        }
        if (node instanceof YamlNode.Mapping mapping) {
            checkKeys(mapping, FILE_KEYS, "IoC file");
            String path = requiredString(mapping, "path");
            String format = optionalString(mapping, "format");
            if (format != null && !FILE_FORMATS.contains(format)) {
                error(mapping.entry("format").orElseThrow().value().position(), "unknown IoC file format '" + format + "'; expected one of "
                        + FILE_FORMATS + Suggestions.didYouMean(format, FILE_FORMATS));
            }
            if (path == null) {
                return Optional.empty();
            }
            IocFileReference.Freshness freshness = new IocFileReference.Freshness(optionalString(mapping, "status_column"),
                    mapping.entry("active_status").isPresent() ? stringList(mapping, "active_status") : IocFileReference.Freshness.DEFAULT_ACTIVE,
                    optionalString(mapping, "last_seen_column"),
                    mapping.entry("max_age_days").flatMap(entry -> wholeNumber(entry, 0, 36_500)).orElse(IocFileReference.Freshness.DEFAULT_MAX_AGE_DAYS));
            return Optional.of(new IocFileReference(path, format, optionalString(mapping, "column"), optionalString(mapping, "feed"), freshness, mapping.position()));
        }
        error(node.position(), "IoC file must be a path or a map with 'path' (and optionally format, column, feed, status_column, active_status, "
                + "last_seen_column, max_age_days); found " + node.describe());
        return Optional.empty();
    }

    private TimeWindow window(YamlNode.Mapping root)
    {
        Optional<YamlNode.Mapping> window = optionalMapping(root, "window");
        if (window.isEmpty()) {
            return null;
        }
        checkKeys(window.get(), WINDOW_KEYS, "window");
        LocalTime from = time(window.get(), "from");
        LocalTime to = time(window.get(), "to");
        if (from == null || to == null) {
            return null;
        }
        if (from.equals(to) && !to.equals(LocalTime.MIDNIGHT)) {
            error(window.get().position(), "window from " + from + " to " + to + " is empty; expected two different times (from > to wraps past midnight)");
            return null;
        }
        if (from.equals(LocalTime.MIDNIGHT) && to.equals(LocalTime.MIDNIGHT)) {
            return null; // 00:00 to 24:00 is the whole day
        }
        return new TimeWindow(from, to);
    }

    private LocalTime time(YamlNode.Mapping mapping, String key)
    {
        String text = requiredString(mapping, key);
        if (text == null) {
            return null;
        }
        if (text.equals("24:00")) {
            return LocalTime.MIDNIGHT;
        }
        try {
            if (!text.matches("\\d{2}:\\d{2}")) {
                throw new DateTimeParseException("format", text, 0);
            }
            return LocalTime.parse(text);
        }
        catch (DateTimeParseException e) {
            error(mapping.entry(key).orElseThrow().value().position(), "window " + key + " '" + text + "' is not a time; expected HH:mm in UTC, e.g. '08:00' (quoted)");
            return null;
        }
    }

    private void checkEnrichments(YamlNode node, List<String> enrich)
    {
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        for (int i = 0; i < items.size() && i < enrich.size(); i++) {
            String name = enrich.get(i);
            if (!ENRICHMENTS.contains(name)) {
                error(items.get(i).position(), "unknown enrichment '" + name + "'; expected one of " + ENRICHMENTS + Suggestions.didYouMean(name, ENRICHMENTS));
            }
        }
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

    private String requiredString(YamlNode.Mapping mapping, String key)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            error(mapping.position(), "missing key '" + key + "'");
            return null;
        }
        return string(entry.get());
    }

    private String optionalString(YamlNode.Mapping mapping, String key)
    {
        return mapping.entry(key).map(this::string).orElse(null);
    }

    private String string(YamlNode.Entry entry)
    {
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL && !scalar.text().isBlank()) {
            LiteralChecks.check(scalar.text(), "'" + entry.name() + "'").ifPresent(message -> error(scalar.position(), message));
            return scalar.text();
        }
        error(entry.value().position(), "'" + entry.name() + "' must be a non-empty string; found " + entry.value().describe());
        return null;
    }

    private Optional<Integer> wholeNumber(YamlNode.Entry entry, int min, int max)
    {
        String expected = "a whole number from " + min + " to " + max;
        return scalarOfType(entry, Value.Type.NUMBER, expected).flatMap(value -> {
            try {
                int number = Integer.parseInt(value.text());
                if (number >= min && number <= max) {
                    return Optional.of(number);
                }
            }
            catch (NumberFormatException e) {
                // reported below
            }
            error(entry.value().position(), "'" + entry.name() + "' is " + value.text() + "; expected " + expected);
            return Optional.empty();
        });
    }

    private Optional<Value> scalarOfType(YamlNode.Entry entry, Value.Type type, String expected)
    {
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.value().type() == type) {
            return Optional.of(scalar.value());
        }
        error(entry.value().position(), "'" + entry.name() + "' is " + entry.value().describe() + "; expected " + expected);
        return Optional.empty();
    }

    /** Where each string of a list is written (the first time), for errors about one of them. */
    private static Map<String, SourcePosition> positions(YamlNode.Mapping mapping, String key)
    {
        Map<String, SourcePosition> positions = new LinkedHashMap<>();
        mapping.entry(key).map(YamlNode.Entry::value).ifPresent(node -> {
            for (YamlNode item : node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node)) {
                if (item instanceof YamlNode.Scalar scalar) {
                    positions.putIfAbsent(scalar.text(), scalar.position());
                }
            }
        });
        return positions;
    }

    private List<String> stringList(YamlNode.Mapping mapping, String key)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return List.of();
        }
        YamlNode node = entry.get().value();
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        List<String> strings = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof YamlNode.Scalar scalar && scalar.value().type() != Value.Type.NULL && !scalar.text().isBlank()) {
                strings.add(scalar.text());
            }
            else {
                error(item.position(), "'" + key + "' lists " + item.describe() + "; expected non-empty strings");
            }
        }
        return strings;
    }

    /** {@code notify}: channel names of the sharing policy; whether each exists is checked against the policy where both are known. */
    private List<NotifyChannel> notifyChannels(YamlNode.Mapping root)
    {
        Optional<YamlNode.Entry> entry = root.entry("notify");
        if (entry.isEmpty()) {
            return List.of();
        }
        YamlNode node = entry.get().value();
        List<YamlNode> items = node instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node);
        List<NotifyChannel> channels = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof YamlNode.Scalar scalar && scalar.value().type() == Value.Type.STRING && CHANNEL_NAME.matcher(scalar.text()).matches()) {
                if (channels.stream().anyMatch(channel -> channel.name().equals(scalar.text()))) {
                    error(item.position(), "channel '" + scalar.text() + "' is named twice in 'notify'; expected each channel once");
                }
                else {
                    channels.add(new NotifyChannel(scalar.text(), item.position()));
                }
            }
            else {
                error(item.position(), "'notify' lists " + item.describe() + "; expected channel names of the sharing policy (lower-case letters, digits, '-' and '_', starting with a letter)");
            }
        }
        return channels;
    }

    private Optional<YamlNode.Mapping> optionalMapping(YamlNode.Mapping mapping, String key)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().value() instanceof YamlNode.Mapping child) {
            return Optional.of(child);
        }
        error(entry.get().value().position(), "'" + key + "' must be a map; found " + entry.get().value().describe());
        return Optional.empty();
    }

    private <E extends Enum<E>> E enumValue(YamlNode.Mapping mapping, String key, Class<E> type, E defaultValue)
    {
        Optional<YamlNode.Entry> entry = mapping.entry(key);
        if (entry.isEmpty()) {
            return defaultValue;
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
        String text = entry.get().value() instanceof YamlNode.Scalar scalar ? scalar.text() : null;
        if (text != null && names.contains(text)) {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        }
        error(entry.get().value().position(), "'" + key + "' is " + entry.get().value().describe() + "; expected one of " + names
                + (text == null ? "" : Suggestions.didYouMean(text, names)));
        return defaultValue;
    }

    private void error(SourcePosition position, String message)
    {
        failed = true;
        problems.accept(new Problem(position, ruleId, message));
    }
}
