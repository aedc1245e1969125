package io.dragnet.rules.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RuleRegex;
import io.dragnet.rules.Problem;
import io.dragnet.rules.SourceDefinition;
import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.FieldCondition;
import io.dragnet.rules.model.IocCondition;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.Modifier;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.Selection;
import io.dragnet.rules.model.SelectionItem;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The field-mapping and IoC-expansion stage of the pipeline: one parsed rule over one source becomes a
 * {@link Predicate} over the source's raw fields, with IoC sets turned into table files. Values are checked against
 * field types here; nothing becomes query text.
 */
public final class PredicateCompiler
{
    /** Above this many {@code contains} values a keyword table (multi-pattern matching) replaces the value list. */
    public static final int KEYWORD_TABLE_THRESHOLD = 16;

    private final Rule rule;
    private final SourceDefinition source;
    private final IocFiles iocFiles;
    private final Consumer<Problem> problems;
    private final List<IocTable> tables = new ArrayList<>();
    private boolean failed;

    /** Loads one IoC file of a selection, for its kind and minimum confidence (null: any). */
    @FunctionalInterface
    public interface IocFiles
    {
        IocLoader.Loaded load(IocFileReference file, IocKind kind, Integer minConfidence);
    }

    public PredicateCompiler(Rule rule, SourceDefinition source, IocFiles iocFiles, Consumer<Problem> problems)
    {
        this.rule = rule;
        this.source = source;
        this.iocFiles = iocFiles;
        this.problems = problems;
    }

    public record Compiled(Predicate predicate, List<IocTable> tables) {}

    /**
     * A condition over the rule's selections other than its main one (an aggregate rule's measure filter); the IoC
     * tables it needs join those of {@link #compile()}, so call this first. Problems are reported as for the rule.
     */
    public Predicate compileFilter(Condition condition)
    {
        return condition(condition);
    }

    public Optional<Compiled> compile()
    {
        Predicate predicate = condition(rule.condition());
        return failed ? Optional.empty() : Optional.of(new Compiled(predicate, tables));
    }

    private Predicate condition(Condition condition)
    {
        if (condition instanceof Condition.And and) {
            return and(and.children().stream().map(this::condition).toList());
        }
        if (condition instanceof Condition.Or or) {
            return or(or.children().stream().map(this::condition).toList());
        }
        if (condition instanceof Condition.Not not) {
            return new Predicate.Not(condition(not.child()));
        }
        if (condition instanceof Condition.Reference reference) {
            return selection(rule.selections().get(reference.selection()));
        }
        Condition.Quantified quantified = (Condition.Quantified) condition;
        List<Predicate> children = Selections.matching(quantified.pattern(), rule.selections().keySet()).stream()
                .map(name -> selection(rule.selections().get(name)))
                .toList();
        return quantified.all() ? and(children) : or(children);
    }

    private Predicate selection(Selection selection)
    {
        if (selection == null) {
            // the rule already failed: a reference to a selection that did not parse was reported by the parser
            return new Predicate.Always();
        }
        List<Predicate> clauses = new ArrayList<>();
        for (List<SelectionItem> clause : selection.clauses()) {
            clauses.add(and(clause.stream().map(this::item).toList()));
        }
        return or(clauses);
    }

    private Predicate item(SelectionItem item)
    {
        if (item instanceof FieldCondition field) {
            return field(field);
        }
        return ioc((IocCondition) item);
    }

    private Predicate field(FieldCondition condition)
    {
        Optional<String> resolved = resolve(condition.field(), condition.position());
        if (resolved.isEmpty()) {
            return new Predicate.Always();
        }
        String field = resolved.get();
        String type = source.typeOf(field);
        Modifier comparison = condition.modifiers().stream().filter(Modifier::isComparison).findFirst().orElse(null);
        boolean all = condition.has(Modifier.ALL);
        boolean cased = condition.has(Modifier.CASED);
        List<Value> values = condition.values();
        boolean textual = comparison == null || switch (comparison) {
            case CONTAINS, STARTSWITH, ENDSWITH, RE -> true;
            default -> false;
        };
        if (cased && (!type.equals("string") || !textual)) {
            error(condition.position(), "modifier 'cased' on field '" + condition.field() + "' (" + type + ") has no effect; expected it only on text comparisons of string fields");
        }
        if (comparison == Modifier.EXISTS) {
            if (values.size() != 1 || values.get(0).type() != Value.Type.BOOLEAN) {
                error(values.get(0).position(), "'" + condition.field() + "|exists' needs true or false; found " + describe(values));
                return new Predicate.Always();
            }
            Predicate exists = new Predicate.FieldMatch(field, "exists", List.of(), false, false);
            return Boolean.parseBoolean(values.get(0).text()) ? exists : new Predicate.Not(exists);
        }
        if (values.stream().anyMatch(value -> value.type() == Value.Type.NULL)) {
            if (values.size() == 1 && comparison == null) {
                return new Predicate.Not(new Predicate.FieldMatch(field, "exists", List.of(), false, false));
            }
            error(condition.position(), "null in the values of '" + condition.field() + "'; expected null alone and without modifiers (it means the field is unset)");
            return new Predicate.Always();
        }
        String operator = comparison == null ? "equals" : switch (comparison) {
            case CONTAINS -> "contains";
            case STARTSWITH -> "startswith";
            case ENDSWITH -> "endswith";
            case RE -> "regex";
            case CIDR -> "cidr";
            case GT -> "gt";
            case GTE -> "gte";
            case LT -> "lt";
            case LTE -> "lte";
            case EXISTS, ALL, CASED, ENTROPY -> throw new IllegalStateException("not a comparison: " + comparison);
        };
        if (condition.has(Modifier.ENTROPY)) {
            return entropy(condition, field, type, operator, values);
        }
        List<String> normalized = new ArrayList<>();
        for (Value value : values) {
            typed(condition, operator, type, value).ifPresent(normalized::add);
        }
        if (operator.equals("contains") && !all && normalized.size() > KEYWORD_TABLE_THRESHOLD) {
            IocTable table = IocTable.of(IocKind.KEYWORD, normalized.stream().map(value -> new IocEntry(value, "rule:" + rule.id(), null, null, null)).toList());
            tables.add(table);
            return new Predicate.KeywordMatch(field, table.id(), cased);
        }
        return new Predicate.FieldMatch(field, operator, normalized, all, cased);
    }

    /** {@code field|entropy|gte: 3.5}: the Shannon character entropy of a text value compared with numbers. */
    private Predicate entropy(FieldCondition condition, String field, String type, String operator, List<Value> values)
    {
        String where = "field '" + condition.field() + "' (in " + source.name() + ", " + type + ")";
        if (!type.equals("string")) {
            error(condition.position(), where + ": 'entropy' measures the characters of a text value; expected a string field");
            return new Predicate.Always();
        }
        List<String> numbers = new ArrayList<>();
        for (Value value : values) {
            number(value, "double", where + " entropy").ifPresent(numbers::add);
        }
        return new Predicate.FieldMatch(field, "entropy_" + operator, numbers, false, false);
    }

    private Optional<String> typed(FieldCondition condition, String operator, String type, Value value)
    {
        String text = value.text();
        String raw = source.resolve(condition.field()).orElse(condition.field());
        String where = "field '" + condition.field() + "' (" + (raw.equals(condition.field()) ? "" : raw + " ") + "in " + source.name() + ", " + type + ")";
        switch (operator) {
            case "contains", "startswith", "endswith", "regex" -> {
                if (!type.equals("string") && !type.equals("ip")) {
                    return mismatch(value, where + ": '" + modifierOf(operator) + "' expects a string field"
                            + (type.equals("long") || type.equals("double") ? " (compare numbers with gt/gte/lt/lte)" : ""));
                }
                if (operator.equals("regex")) {
                    Optional<String> problem = RuleRegex.problem(text);
                    if (problem.isPresent()) {
                        return mismatch(value, where + ": regular expression is not RE2 syntax (" + problem.get()
                                + "); expected an RE2 regular expression (no backreferences, lookahead, lookbehind or possessive quantifiers)");
                    }
                }
                return Optional.of(text);
            }
            case "cidr" -> {
                if (!type.equals("ip")) {
                    return mismatch(value, where + ": 'cidr' expects an ip field");
                }
                return IocValues.cidr(text).or(() -> mismatch(value, where + ": found '" + YamlNode.abbreviate(text) + "'; expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32"));
            }
            case "gt", "gte", "lt", "lte" -> {
                if (type.equals("long") || type.equals("double")) {
                    return number(value, type, where);
                }
                if (type.equals("timestamp")) {
                    try {
                        return Optional.of(Instant.parse(text).toString());
                    }
                    catch (DateTimeParseException | NullPointerException e) {
                        return mismatch(value, where + ": found " + describe(List.of(value)) + "; expected an ISO-8601 instant such as 2018-11-02T08:00:00Z");
                    }
                }
                return mismatch(value, where + ": '" + operator + "' expects a long, double or timestamp field");
            }
            default -> {
                return switch (type) {
                    case "long", "double" -> number(value, type, where);
                    case "boolean" -> {
                        String lower = text.toLowerCase(Locale.ROOT);
                        yield lower.equals("true") || lower.equals("false") ? Optional.of(lower)
                                : mismatch(value, where + ": found " + describe(List.of(value)) + "; expected true or false");
                    }
                    case "ip" -> IocValues.ip(text).or(() -> mismatch(value, where + ": found " + describe(List.of(value))
                            + "; expected an IPv4 or IPv6 address (use '|cidr' for networks)"));
                    case "timestamp" -> mismatch(value, where + ": equality on a timestamp; expected gt/gte/lt/lte with an ISO-8601 instant, or a 'window'");
                    default -> Optional.of(text);
                };
            }
        }
    }

    private Optional<String> number(Value value, String type, String where)
    {
        try {
            if (type.equals("long")) {
                return Optional.of(Long.toString(Long.parseLong(value.text().strip())));
            }
            double parsed = Double.parseDouble(value.text().strip());
            if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new NumberFormatException();
            }
            return Optional.of(Double.toString(parsed));
        }
        catch (NumberFormatException e) {
            return mismatch(value, where + ": found " + describe(List.of(value)) + "; expected " + (type.equals("long") ? "an integer" : "a number"));
        }
    }

    private Predicate ioc(IocCondition condition)
    {
        List<String> fields = new ArrayList<>();
        if (condition.fields().isEmpty() && condition.kind() == IocKind.KEYWORD) {
            failed = true; // reported by the parser: keywords have no default fields
            return new Predicate.Always();
        }
        if (condition.fields().isEmpty()) {
            for (String candidate : condition.kind().defaultFields()) {
                source.resolve(candidate).ifPresent(fields::add);
            }
            if (fields.isEmpty()) {
                error(condition.position(), "source " + source.name() + " has none of the fields 'ioc: " + condition.kind().keyword() + "' is matched against by default "
                        + condition.kind().defaultFields() + "; expected 'fields' naming fields of " + source.name() + hint(condition.kind()));
                return new Predicate.Always();
            }
        }
        else {
            for (String name : condition.fields()) {
                resolve(name, condition.position()).ifPresent(fields::add);
            }
        }
        List<IocEntry> entries = new ArrayList<>();
        for (Value value : condition.values()) {
            String raw = value.text();
            if (condition.kind() == IocKind.DOMAIN && raw.contains("://")) {
                raw = IocValues.domainOfUrl(raw).orElse(raw);
            }
            IocValues.Result result = IocValues.normalize(condition.kind(), raw);
            if (result.valid()) {
                entries.add(new IocEntry(result.value(), "rule:" + rule.id(), null, null, null));
            }
            else {
                error(value.position(), result.problem() + "; expected a valid " + condition.kind().keyword() + " indicator");
            }
        }
        Map<String, Integer> skipped = new TreeMap<>();
        boolean unreadable = false;
        for (IocFileReference file : condition.files()) {
            IocLoader.Loaded loaded = iocFiles.load(file, condition.kind(), condition.minConfidence());
            entries.addAll(loaded.entries());
            loaded.skipped().forEach((reason, count) -> skipped.merge(reason, count, Integer::sum));
            unreadable |= loaded.failed();
        }
        // a file that failed has its own problem already; an empty set of readable files needs one saying why
        if (entries.isEmpty() && !condition.files().isEmpty() && !unreadable) {
            error(condition.position(), "IoC set (ioc: " + condition.kind().keyword() + ") loaded no value from " + condition.files().stream().map(IocFileReference::path).toList()
                    + (skipped.isEmpty() ? ": the files hold no indicator" : ": skipped " + skipped.entrySet().stream()
                            .map(entry -> entry.getValue() + " " + entry.getKey()).collect(java.util.stream.Collectors.joining(", ")))
                    + emptySetHint(condition.kind(), skipped) + "; expected at least one " + condition.kind().keyword() + " indicator");
            return new Predicate.Always();
        }
        IocTable table = IocTable.of(condition.kind(), entries);
        tables.add(table);
        if (condition.kind() == IocKind.KEYWORD) {
            return or(fields.stream().<Predicate>map(field -> new Predicate.KeywordMatch(field, table.id(), condition.cased())).toList());
        }
        return new Predicate.IocMatch(fields.stream().distinct().toList(), table.id());
    }

    private static String emptySetHint(IocKind kind, Map<String, Integer> skipped)
    {
        if (skipped.containsKey("other_kind")) {
            return " (other_kind: values of another kind, e.g. CIDRs in an 'ioc: ip' set, which 'ioc: cidr' takes)";
        }
        if (skipped.containsKey("no_confidence") || skipped.containsKey("below_min_confidence")) {
            return " (min_confidence leaves out indicators without a confidence or below it)";
        }
        return "";
    }

    private static String hint(IocKind kind)
    {
        return kind == IocKind.URL ? " (Zeek http.log splits URLs into host and uri: sweep URL feeds with 'ioc: domain', which takes the host of each URL)" : "";
    }

    /** The raw field a rule's field name refers to on this source; reports the rule's problem when there is none. */
    public Optional<String> resolve(String name, SourcePosition position)
    {
        Optional<String> resolved = source.resolve(name);
        if (resolved.isEmpty()) {
            error(position, "source " + source.name() + " has no field '" + name + "'; expected a field of " + source.name() + " or an ECS name mapped to one"
                    + Suggestions.didYouMean(name, source.knownNames()));
        }
        return resolved;
    }

    private static String modifierOf(String operator)
    {
        return operator.equals("regex") ? "re" : operator;
    }

    private static String describe(List<Value> values)
    {
        return values.stream().map(value -> new YamlNode.Scalar(value).describe()).toList().toString().replaceAll("^\\[|]$", "");
    }

    private <T> Optional<T> mismatch(Value value, String message)
    {
        error(value.position(), message);
        return Optional.empty();
    }

    private void error(SourcePosition position, String message)
    {
        failed = true;
        problems.accept(new Problem(position, rule.id(), message));
    }

    private static Predicate and(List<Predicate> children)
    {
        return children.size() == 1 ? children.get(0) : new Predicate.And(children);
    }

    private static Predicate or(List<Predicate> children)
    {
        return children.size() == 1 ? children.get(0) : new Predicate.Or(children);
    }
}
