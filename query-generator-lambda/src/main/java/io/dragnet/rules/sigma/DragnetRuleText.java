package io.dragnet.rules.sigma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.Correlation;
import io.dragnet.rules.model.FieldCondition;
import io.dragnet.rules.model.Modifier;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Selection;
import io.dragnet.rules.model.SelectionItem;
import io.dragnet.rules.model.Value;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A converted Sigma rule written as the dragnet rule file a researcher could edit: the same selections, condition and
 * metadata, parsing back to the same rule. A comment header keeps the Sigma identity and attribution.
 */
public final class DragnetRuleText
{
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private DragnetRuleText() {}

    public static String of(Rule rule, SigmaRule.Metadata metadata, String file)
    {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", rule.id());
        if (rule.uuid() != null) {
            document.put("uuid", rule.uuid());
        }
        document.put("title", rule.title());
        if (rule.description() != null) {
            document.put("description", rule.description());
        }
        document.put("topic", rule.topic());
        document.put("owner", rule.owner());
        if (!rule.tags().isEmpty()) {
            document.put("tags", rule.tags());
        }
        document.put("status", rule.status().name().toLowerCase(Locale.ROOT));
        document.put("severity", rule.severity().name().toLowerCase(Locale.ROOT));
        if (rule.correlation() != null) {
            document.put("correlation", correlation(rule.correlation()));
        }
        else {
            document.put("sources", rule.sources());
            Map<String, Object> match = new LinkedHashMap<>();
            rule.selections().values().forEach(selection -> match.put(selection.name(), selection(selection)));
            match.put("condition", condition(rule.condition(), false));
            document.put("match", match);
        }
        if (!metadata.references().isEmpty()) {
            document.put("references", metadata.references());
        }
        if (!metadata.falsepositives().isEmpty()) {
            document.put("falsepositives", metadata.falsepositives());
        }
        StringBuilder header = new StringBuilder();
        header.append("# Converted from the Sigma rule ").append(file);
        if (metadata.uuid() != null) {
            header.append(" (id ").append(metadata.uuid()).append(')');
        }
        header.append('\n');
        if (metadata.pipeline() != null) {
            header.append("# logsource ").append(metadata.logsource()).append(" through pipeline ").append(metadata.pipeline());
        }
        else {
            header.append("# a correlation over the hits of other rules");
        }
        if (metadata.status() != null || metadata.level() != null) {
            header.append("; Sigma status ").append(metadata.status()).append(", level ").append(metadata.level());
        }
        header.append('\n');
        if (metadata.author() != null) {
            header.append("# author: ").append(metadata.author().replace('\n', ' ')).append(metadata.date() == null ? "" : " (" + metadata.date() + ")").append('\n');
        }
        try {
            return header + YAML.writeValueAsString(document);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> correlation(Correlation correlation)
    {
        Map<String, Object> written = new LinkedHashMap<>();
        written.put("type", correlation.type().keyword());
        written.put("rules", correlation.rules());
        if (!correlation.groupBy().isEmpty()) {
            written.put("group_by", correlation.groupBy());
        }
        long seconds = correlation.timespan().toSeconds();
        written.put("timespan", seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3600 == 0 ? seconds / 3600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s");
        if (!correlation.aliases().isEmpty()) {
            written.put("aliases", correlation.aliases());
        }
        if (correlation.condition() != null) {
            Map<String, Object> condition = new LinkedHashMap<>();
            correlation.condition().bounds().forEach((bound, value) -> condition.put(bound, value == Math.rint(value) ? (Object) value.longValue() : value));
            if (correlation.condition().field() != null) {
                condition.put("field", correlation.condition().field());
            }
            written.put("condition", condition);
        }
        return written;
    }

    private static Object selection(Selection selection)
    {
        List<Object> clauses = new ArrayList<>();
        for (List<SelectionItem> clause : selection.clauses()) {
            Map<String, Object> items = new LinkedHashMap<>();
            for (SelectionItem item : clause) {
                FieldCondition field = (FieldCondition) item;
                String key = field.field() + field.modifiers().stream().map(modifier -> "|" + modifier.keyword()).collect(Collectors.joining());
                List<Object> values = field.values().stream().map(DragnetRuleText::value).toList();
                if (items.containsKey(key)) {
                    throw new IllegalArgumentException("selection '" + selection.name() + "' has two conditions '" + key
                            + "' that one dragnet selection cannot hold; expected them in separate selections");
                }
                items.put(key, values.size() == 1 && !field.has(Modifier.ALL) ? values.get(0) : values);
            }
            clauses.add(items);
        }
        return clauses.size() == 1 ? clauses.get(0) : clauses;
    }

    private static Object value(Value value)
    {
        return switch (value.type()) {
            case NULL -> null;
            case BOOLEAN -> Boolean.parseBoolean(value.text());
            case NUMBER -> new BigDecimal(value.text());
            case STRING -> value.text();
        };
    }

    static String condition(Condition condition, boolean nested)
    {
        if (condition instanceof Condition.And and) {
            String text = and.children().stream().map(child -> condition(child, true)).collect(Collectors.joining(" and "));
            return nested ? "(" + text + ")" : text;
        }
        if (condition instanceof Condition.Or or) {
            String text = or.children().stream().map(child -> condition(child, true)).collect(Collectors.joining(" or "));
            return nested ? "(" + text + ")" : text;
        }
        if (condition instanceof Condition.Not not) {
            return "not " + condition(not.child(), true);
        }
        if (condition instanceof Condition.Reference reference) {
            return reference.selection();
        }
        Condition.Quantified quantified = (Condition.Quantified) condition;
        return (quantified.all() ? "all of " : "1 of ") + quantified.pattern();
    }
}
