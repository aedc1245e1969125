package io.dragnet.rules;

import io.dragnet.contracts.AggregateShuffle;
import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunFolders;
import io.dragnet.contracts.ScanFields;

import io.dragnet.rules.internal.RuleParser;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders a compilation as a readable plan: per source, the single pass over its partition and which rule contributes
 * which predicate. Literals are shown escaped and quoted for reading only; the job spec carries them as data.
 */
public final class PlanExplainer
{
    /** How a plan shows the run folder of the locations it writes: every run writes under its own id. */
    private static final String ANY_RUN = RunFolders.runFolder("<run id>");

    private PlanExplainer() {}

    /** Which columns of an imported (Parquet) day the job reads ({@link ScanFields#needed}); a text day is parsed whole. */
    static String columnsRead(JobSpec spec)
    {
        List<String> declared = spec.source().fields().stream().map(JobSpec.FieldSpec::name).toList();
        return ScanFields.needed(spec, declared)
                .map(read -> "  reads " + read.size() + " of the " + declared.size() + " declared columns of an imported (Parquet) day: " + String.join(", ", read) + "\n")
                .orElseGet(() -> "  reads every column of the day: " + spec.rules().stream()
                        .filter(rule -> rule.aggregate() == null && rule.outputFields().isEmpty()).findFirst()
                        .map(rule -> "rule " + rule.id() + " keeps the whole record (no output fields)")
                        .orElse("a NIDS verdict source is deduplicated on its whole session") + "\n");
    }

    public static String explain(Compilation compilation)
    {
        StringBuilder text = new StringBuilder();
        for (Compilation.Job job : compilation.jobs()) {
            JobSpec spec = job.spec();
            Map<String, JobSpec.IocTable> tables = spec.iocTables().stream().collect(Collectors.toMap(JobSpec.IocTable::id, Function.identity()));
            Map<String, String> types = spec.source().fields().stream().collect(Collectors.toMap(JobSpec.FieldSpec::name, JobSpec.FieldSpec::type));
            text.append("source ").append(spec.source().name()).append(" (").append(spec.source().format()).append(", ")
                    .append(spec.source().location()).append(")\n");
            text.append("  one pass, ").append(spec.rules().size()).append(spec.rules().size() == 1 ? " rule" : " rules")
                    .append("; a row is kept when any rule matches and carries the ids of all rules it matched\n");
            text.append(columnsRead(spec));
            List<JobSpec.RuleSpec> aggregateRules = spec.rules().stream().filter(rule -> rule.aggregate() != null).toList();
            if (!aggregateRules.isEmpty()) {
                java.util.LinkedHashSet<String> projected = new java.util.LinkedHashSet<>();
                aggregateRules.forEach(rule -> projected.addAll(rule.aggregate().fieldsRead()));
                List<AggregateShuffle> shuffles = AggregateShuffle.plan(aggregateRules.stream().map(JobSpec.RuleSpec::aggregate).toList());
                int groupings = shuffles.stream().mapToInt(shuffle -> shuffle.groupings().size()).sum();
                text.append("  the same pass sends what the aggregate rules need (").append(String.join(", ", projected))
                        .append(spec.source().timeField() == null ? "" : ", " + spec.source().timeField())
                        .append(", the event id and one flag per rule and filtered measure) of each record they match, once per shuffle whose rules matched it, ")
                        .append("into one exchange with the rows it keeps (no projection is written to files): ")
                        .append(shuffles.size()).append(shuffles.size() == 1 ? " shuffle" : " shuffles").append(" for ").append(groupings)
                        .append(groupings == 1 ? " grouping" : " groupings").append(" (groupings that share group fields share a shuffle and one pass over it):\n");
                for (AggregateShuffle shuffle : shuffles) {
                    text.append("    shuffle by ").append(String.join(", ", shuffle.partitionFields()))
                            .append(shuffle.bucketSeconds() == 0 ? "" : " and " + RuleParser.format(Duration.ofSeconds(shuffle.bucketSeconds())) + " time buckets")
                            .append(", sorted by time:\n");
                    for (String key : shuffle.groupings()) {
                        AggregateSpec shape = aggregateRules.stream().map(JobSpec.RuleSpec::aggregate).filter(aggregate -> aggregate.groupingKey().equals(key)).findFirst().orElseThrow();
                        text.append("      ").append(String.join(", ", shape.groupBy())).append(" per ").append(windowText(shape.windowSeconds(), shape.slideSeconds()))
                                .append(": ").append(aggregateRules.stream().filter(rule -> rule.aggregate().groupingKey().equals(key)).map(JobSpec.RuleSpec::id)
                                        .collect(Collectors.joining(", "))).append('\n');
                    }
                }
            }
            for (JobSpec.RuleSpec rule : spec.rules()) {
                text.append("  rule ").append(rule.id()).append(" [topic ").append(rule.topic()).append(", ").append(rule.severity()).append("]");
                if (rule.timeWindow() != null) {
                    text.append(" window ").append(rule.timeWindow().from()).append("-").append(rule.timeWindow().to()).append(" UTC");
                }
                text.append('\n');
                text.append("    WHERE ").append(render(rule.predicate(), tables, types)).append('\n');
                if (rule.aggregate() != null) {
                    explainAggregate(text, rule.aggregate(), tables, types);
                }
                if (!rule.enrich().isEmpty()) {
                    text.append("    enrich ").append(String.join(", ", rule.enrich())).append('\n');
                }
                if (!rule.summaryGroupBy().isEmpty()) {
                    text.append("    summary by ").append(rule.summaryGroupBy().stream().map(PlanExplainer::field).collect(Collectors.joining(", "))).append('\n');
                }
            }
            for (JobSpec.IocTable table : spec.iocTables()) {
                text.append("  table ").append(table.id()).append(": ").append(table.entries()).append(' ').append(table.kind())
                        .append(table.entries() == 1 ? " value" : " values").append(", broadcast join").append('\n');
            }
            explainOutputs(text, spec);
        }
        if (compilation.jobs().isEmpty()) {
            text.append("no jobs: no rule compiled\n");
        }
        if (compilation.correlations() != null) {
            explainCorrelations(text, compilation.correlations().spec());
        }
        for (String note : compilation.notes()) {
            text.append("note: ").append(note).append('\n');
        }
        for (Problem problem : compilation.problems()) {
            text.append("problem: ").append(problem).append('\n');
        }
        return text.toString();
    }

    /**
     * The correlation step after every job: per correlation rule, what it counts over whose hits, and where the
     * previous day's hits come from when its windows read them.
     */
    private static void explainCorrelations(StringBuilder text, CorrelationSpec spec)
    {
        String runPart = RunFolders.runFolder(spec.runId());
        text.append("correlations, one step after every job (reads the jobs' hits, never a source)\n");
        for (CorrelationSpec.Correlation correlation : spec.correlations()) {
            text.append("  rule ").append(correlation.id()).append(" [topic ").append(correlation.topic()).append(", ").append(correlation.severity())
                    .append(correlation.sandbox() ? ", sandbox" : "").append("] ").append(correlation.type()).append(" within ")
                    .append(RuleParser.format(Duration.ofSeconds(correlation.timespanSeconds()))).append(" by ")
                    .append(correlation.groupBy().isEmpty() ? "(no group)" : String.join(", ", correlation.groupBy()));
            correlation.condition().forEach((bound, value) -> text.append(", count ").append(bound).append(' ').append(value));
            text.append('\n');
            for (CorrelationSpec.Input input : correlation.inputs()) {
                text.append("    ").append(input.kind()).append(" hits of ").append(input.rule());
                if (!input.hits().isEmpty()) {
                    text.append(" from ").append(input.hits().stream().map(hits -> hits.replace(runPart, ANY_RUN)).collect(Collectors.joining(", ")));
                }
                text.append('\n');
            }
            if (correlation.previousDay() == null) {
                text.append("    previous day ignored: windows reaching past midnight are reported from the day's hits, marked truncated\n");
            }
            else {
                text.append("    windows ending within the day; those opening before it read ").append(correlation.previousDay().date()).append("'s hits from midnight minus ")
                        .append(RuleParser.format(Duration.ofSeconds(correlation.timespanSeconds())))
                        .append(correlation.inputs().stream().allMatch(input -> input.previousDayHits().isEmpty()) ? " (that day has no published run: none seen)" : "")
                        .append('\n');
            }
        }
        text.append("  a run writes ").append(spec.published().correlations().replace(runPart, ANY_RUN)).append(" and a summary per rule under ")
                .append(spec.published().summaries().replace(runPart, ANY_RUN)).append("/<topic>/<rule id>.csv\n");
    }

    /**
     * Where a run of this plan writes (explain itself writes nothing): the run's folders of the day and the indexes it
     * fills, which Publish then puts behind the day aliases (and records as the day's published run for the files); a sandbox job's indexes are never published.
     */
    private static void explainOutputs(StringBuilder text, JobSpec spec)
    {
        JobSpec.Outputs outputs = spec.outputs();
        String runPart = RunFolders.runFolder(spec.runId());
        LocalDate day = LocalDate.parse(spec.date());
        boolean sandbox = IndexNames.SANDBOX_PREFIX.equals(outputs.opensearchIndexPrefix());
        text.append(sandbox ? "  a run writes into the sandbox (Publish never touches it)\n" : "  a run writes\n");
        text.append("    documents ").append(outputs.documents().replace(runPart, ANY_RUN)).append('\n');
        if (outputs.aggregates() != null) {
            text.append("    aggregate hits ").append(outputs.aggregates().replace(runPart, ANY_RUN)).append('\n');
        }
        text.append("    rejected lines ").append(outputs.rejects().replace(runPart, ANY_RUN)).append('\n');
        for (String topic : new TreeSet<>(spec.rules().stream().map(JobSpec.RuleSpec::topic).toList())) {
            text.append("    summaries ").append(outputs.summaries().replace(runPart, ANY_RUN)).append('/').append(topic).append("/<rule id>.csv\n");
        }
        text.append("    metrics ").append(outputs.metrics().replace(runPart, ANY_RUN)).append('\n');
        if (outputs.opensearchIndexPrefix() != null) {
            for (String topic : new TreeSet<>(spec.rules().stream().map(JobSpec.RuleSpec::topic).toList())) {
                for (String partition : IndexNames.partitions(topic)) {
                    if (sandbox) {
                        text.append("    index ").append(IndexNames.sandboxRunIndex(partition, day, "x").replaceAll("-x$", "-<run id>"))
                                .append(", sandbox: never published, readable only by the groups granted ").append(topic).append("'s sandbox\n");
                    }
                    else {
                        text.append("    index ").append(IndexNames.dayAlias(partition, day)).append("-<run id>, published as ").append(IndexNames.dayAlias(partition, day)).append('\n');
                    }
                }
            }
        }
    }

    private static void explainAggregate(StringBuilder text, AggregateSpec aggregate, Map<String, JobSpec.IocTable> tables, Map<String, String> types)
    {
        text.append("    GROUP BY ").append(aggregate.groupBy().stream().map(PlanExplainer::field).collect(Collectors.joining(", ")))
                .append(" PER ").append(windowText(aggregate.windowSeconds(), aggregate.slideSeconds()));
        if (aggregate.slideSeconds() != aggregate.windowSeconds()) {
            text.append(aggregate.previousDayLocation() == null ? ", windows starting before the day left out" : ", reading the previous day's tail from " + aggregate.previousDayLocation());
        }
        text.append('\n');
        for (AggregateSpec.MeasureSpec measure : aggregate.measures()) {
            text.append("    ").append(measure.hidden() ? "(" + measure.name() + ")" : measure.name()).append(" = ");
            if (measure.function().equals("expression")) {
                text.append(render(measure.expression()));
            }
            else {
                text.append(measure.function()).append('(');
                if (measure.field() != null) {
                    text.append(measure.function().startsWith("history_") ? measure.field() : field(measure.field()));
                }
                if (measure.parameter() != null) {
                    text.append(", ").append(number(measure.parameter()));
                }
                text.append(')');
                if (measure.filter() != null) {
                    text.append(" WHERE ").append(render(measure.filter(), tables, types));
                }
            }
            text.append('\n');
        }
        text.append("    HAVING ").append(render(aggregate.having())).append('\n');
        text.append("    keeps ").append(aggregate.samples()).append(" sample event ids per hit");
        if (aggregate.historyDays() > 0) {
            text.append("; history over the ").append(aggregate.historyDays()).append(" earlier days");
        }
        text.append('\n');
    }

    private static String windowText(long size, long slide)
    {
        String sizeText = RuleParser.format(Duration.ofSeconds(size));
        return size == slide ? "tumbling " + sizeText + " window" : sizeText + " window sliding by " + RuleParser.format(Duration.ofSeconds(slide));
    }

    /** An aggregate expression as text. */
    public static String render(AggregateSpec.Expression expression)
    {
        return switch (expression.op()) {
            case "measure" -> expression.measure();
            case "number" -> number(expression.number());
            case "not" -> "NOT " + renderGrouped(expression.args().get(0));
            default -> renderGrouped(expression.args().get(0)) + " " + symbol(expression.op()) + " " + renderGrouped(expression.args().get(1));
        };
    }

    private static String renderGrouped(AggregateSpec.Expression expression)
    {
        return expression.args().size() == 2 ? "(" + render(expression) + ")" : render(expression);
    }

    private static String symbol(String op)
    {
        return switch (op) {
            case "and" -> "AND";
            case "or" -> "OR";
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            case "lte" -> "<=";
            case "eq" -> "=";
            case "ne" -> "!=";
            case "add" -> "+";
            case "subtract" -> "-";
            case "multiply" -> "*";
            case "divide" -> "/";
            default -> op.toUpperCase(java.util.Locale.ROOT);
        };
    }

    private static String number(double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** One predicate as text; {@code types} (field → type) decides quoting and whether case matters. */
    public static String render(Predicate predicate, Map<String, JobSpec.IocTable> tables, Map<String, String> types)
    {
        if (predicate instanceof Predicate.And and) {
            return and.children().stream().map(child -> group(child, tables, types)).collect(Collectors.joining(" AND "));
        }
        if (predicate instanceof Predicate.Or or) {
            return or.children().stream().map(child -> group(child, tables, types)).collect(Collectors.joining(" OR "));
        }
        if (predicate instanceof Predicate.Not not) {
            return "NOT " + group(not.child(), tables, types);
        }
        if (predicate instanceof Predicate.IocMatch ioc) {
            JobSpec.IocTable table = tables.get(ioc.table());
            String kind = table == null ? "" : table.kind();
            String how = switch (kind) {
                case "cidr" -> " IN CIDRS OF ";
                case "domain" -> " IN DOMAINS (with subdomains) OF ";
                default -> " IN ";
            };
            String fields = ioc.fields().size() == 1 ? field(ioc.fields().get(0)) : "ANY(" + ioc.fields().stream().map(PlanExplainer::field).collect(Collectors.joining(", ")) + ")";
            return fields + how + "table " + ioc.table() + (table == null ? "" : " (" + table.entries() + " values)");
        }
        if (predicate instanceof Predicate.KeywordMatch keywords) {
            JobSpec.IocTable table = tables.get(keywords.table());
            return field(keywords.field()) + " CONTAINS ANY KEYWORD OF table " + keywords.table() + (table == null ? "" : " (" + table.entries() + " keywords, Aho-Corasick)")
                    + (keywords.cased() ? " cased" : "");
        }
        if (predicate instanceof Predicate.Always) {
            return "TRUE";
        }
        Predicate.FieldMatch match = (Predicate.FieldMatch) predicate;
        String field = field(match.field());
        String type = types.getOrDefault(match.field(), "string");
        boolean numeric = type.equals("long") || type.equals("double") || type.equals("boolean");
        String suffix = match.cased() || !isText(match.operator()) || !type.equals("string") ? "" : " (case-insensitive)";
        if (match.operator().equals("exists")) {
            return field + " IS SET";
        }
        if (match.operator().startsWith("entropy_")) {
            String comparison = symbol(match.operator().substring("entropy_".length()));
            return match.values().stream().map(value -> "ENTROPY(" + field + ") " + comparison + " " + value).collect(Collectors.joining(" OR "));
        }
        List<String> values = match.values().stream().map(value -> numeric ? value : literal(value)).toList();
        if (match.operator().equals("equals") && values.size() > 1 && !match.all()) {
            return field + " IN (" + String.join(", ", values) + ")" + suffix;
        }
        String operator = switch (match.operator()) {
            case "equals" -> "=";
            case "contains" -> "CONTAINS";
            case "startswith" -> "STARTS WITH";
            case "endswith" -> "ENDS WITH";
            case "regex" -> "MATCHES REGEX";
            case "cidr" -> "IN CIDR";
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            case "lte" -> "<=";
            default -> match.operator().toUpperCase(java.util.Locale.ROOT);
        };
        if (values.size() == 1) {
            return field + " " + operator + " " + values.get(0) + suffix;
        }
        return field + " " + operator + (match.all() ? " ALL OF (" : " ANY OF (") + String.join(", ", values) + ")" + suffix;
    }

    private static boolean isText(String operator)
    {
        return switch (operator) {
            case "equals", "contains", "startswith", "endswith", "regex" -> true;
            default -> false;
        };
    }

    private static String group(Predicate predicate, Map<String, JobSpec.IocTable> tables, Map<String, String> types)
    {
        String rendered = render(predicate, tables, types);
        return predicate instanceof Predicate.And || predicate instanceof Predicate.Or ? "(" + rendered + ")" : rendered;
    }

    private static String field(String name)
    {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String literal(String value)
    {
        StringBuilder text = new StringBuilder("'");
        String shown = value.length() > 120 ? value.substring(0, 117) + "..." : value;
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '\'' -> text.append("\\'");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append('\'').toString();
    }
}
