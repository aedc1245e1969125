package io.dragnet.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One Spark job: every active rule reading one source, for one day, fused into a single pass.
 * Written by the rule compiler (query-generator-lambda), executed by spark-jobs; the driver needs nothing else.
 * Literals from rules and feeds travel as data (in predicates or IoC table files), never as SQL text.
 *
 * @param specVersion contract version, {@link #CURRENT_VERSION}
 * @param runId identifier of the daily run that produced the spec, shared by all specs of the run
 * @param date the day (YYYY-MM-DD) whose partition is read
 * @param source what to read and its schema
 * @param rules the fused rules, each with its own predicate; an output row carries the ids of every rule it matched
 * @param iocTables IoC sets referenced by {@link Predicate.IocMatch} nodes, stored as files next to the spec
 * @param enrichmentData locations of enrichment inputs by name (asset_inventory, geo_city, geo_asn, verdicts, history,
 *                       {@link #AGGREGATE_HISTORY})
 * @param outputs where results go
 */
public record JobSpec(
        int specVersion,
        String runId,
        String date,
        SourceSpec source,
        List<RuleSpec> rules,
        List<IocTable> iocTables,
        Map<String, String> enrichmentData,
        Outputs outputs)
{
    public static final int CURRENT_VERSION = 2;
    /** enrichmentData key of the root under which aggregate rules keep per-day values for their history measures. */
    public static final String AGGREGATE_HISTORY = "aggregate_history";

    public JobSpec
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(date, "date is null");
        requireNonNull(source, "source is null");
        rules = List.copyOf(rules);
        iocTables = iocTables == null ? List.of() : List.copyOf(iocTables);
        enrichmentData = enrichmentData == null ? Map.of() : Map.copyOf(enrichmentData);
        requireNonNull(outputs, "outputs is null");
        if (specVersion != CURRENT_VERSION) {
            throw new IllegalArgumentException("job spec version " + specVersion + " is not supported; expected " + CURRENT_VERSION);
        }
    }

    /** The same job with other rules. */
    public JobSpec withRules(List<RuleSpec> otherRules)
    {
        return new JobSpec(specVersion, runId, date, source, otherRules, iocTables, enrichmentData, outputs);
    }

    /** The same job over the source's records at another location (another day, or a copy of this one). */
    public JobSpec withSourceLocation(String location)
    {
        SourceSpec moved = new SourceSpec(source.name(), source.format(), location, source.timeField(), source.fields(), source.mapping(), source.dataset());
        return new JobSpec(specVersion, runId, date, moved, rules, iocTables, enrichmentData, outputs);
    }

    /**
     * @param name source name as rules refer to it (zeek_conn, nids_verdicts, …)
     * @param format one of zeek_tsv, zeek_json (JSON lines), parquet, csv, jsonl; gzip is detected from the file name
     * @param location URI of the day's partition directory (file:// locally, s3:// on AWS)
     * @param timeField field holding the event time
     * @param fields the source schema; field names in predicates are checked against it
     * @param mapping the source's declared ECS-style names: ECS-style name → source field ({@code source.ip → id.orig_h});
     *         the documents' ECS fields are filled from it ({@link EcsFields})
     * @param dataset {@code event.dataset} of the documents built from this source; null or absent means
     *         {@link #defaultDataset the default}
     */
    public record SourceSpec(String name, String format, String location, String timeField, List<FieldSpec> fields, Map<String, String> mapping, String dataset)
    {
        public SourceSpec
        {
            requireNonNull(name, "name is null");
            requireNonNull(format, "format is null");
            requireNonNull(location, "location is null");
            fields = List.copyOf(fields);
            mapping = mapping == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
            mapping.forEach((ecs, field) -> requireNonNull(field, "mapping of " + ecs + " is null"));
            dataset = dataset == null ? defaultDataset(name) : dataset;
        }

        /** With the default dataset. */
        public SourceSpec(String name, String format, String location, String timeField, List<FieldSpec> fields, Map<String, String> mapping)
        {
            this(name, format, location, timeField, fields, mapping, null);
        }

        /** The dataset of a source that declares none: its name with every '_' turned into '.' (zeek_dns_json → zeek.dns.json). */
        public static String defaultDataset(String sourceName)
        {
            return sourceName.replace('_', '.');
        }
    }

    /** @param type one of string, long, double, boolean, timestamp, ip */
    public record FieldSpec(String name, String type)
    {
        public FieldSpec
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * @param timeWindow optional HH:mm–HH:mm window within the day, null for the whole day
     * @param enrich enrichment names: ioc_metadata, asset_owner, geo, first_last_seen, nids_verdict
     * @param outputFields source fields to keep in documents (empty = all)
     * @param summaryGroupBy fields the CSV summary groups by (empty = per rule only)
     * @param aggregate for an aggregate rule, what it computes over the records its predicate keeps; null for a record rule
     * @param uuid the rule's Sigma {@code id} (a UUID) for a rule converted from Sigma, written as {@code rule.uuid} in every
     *         document of the rule; null for a dragnet rule
     */
    public record RuleSpec(
            String id,
            String title,
            String topic,
            String severity,
            List<String> tags,
            Predicate predicate,
            TimeWindow timeWindow,
            List<String> enrich,
            List<String> outputFields,
            List<String> summaryGroupBy,
            @JsonInclude(JsonInclude.Include.NON_NULL) AggregateSpec aggregate,
            @JsonInclude(JsonInclude.Include.NON_NULL) String uuid)
    {
        /** A record rule. */
        public RuleSpec(String id, String title, String topic, String severity, List<String> tags, Predicate predicate, TimeWindow timeWindow,
                List<String> enrich, List<String> outputFields, List<String> summaryGroupBy)
        {
            this(id, title, topic, severity, tags, predicate, timeWindow, enrich, outputFields, summaryGroupBy, null, null);
        }

        /** A record or aggregate rule written in dragnet's own language (no Sigma id). */
        public RuleSpec(String id, String title, String topic, String severity, List<String> tags, Predicate predicate, TimeWindow timeWindow,
                List<String> enrich, List<String> outputFields, List<String> summaryGroupBy, AggregateSpec aggregate)
        {
            this(id, title, topic, severity, tags, predicate, timeWindow, enrich, outputFields, summaryGroupBy, aggregate, null);
        }

        public RuleSpec
        {
            requireNonNull(id, "id is null");
            requireNonNull(topic, "topic is null");
            requireNonNull(predicate, "predicate is null");
            tags = tags == null ? List.of() : List.copyOf(tags);
            enrich = enrich == null ? List.of() : List.copyOf(enrich);
            outputFields = outputFields == null ? List.of() : List.copyOf(outputFields);
            summaryGroupBy = summaryGroupBy == null ? List.of() : List.copyOf(summaryGroupBy);
        }
    }

    /** @param from inclusive, HH:mm (UTC) @param to exclusive, HH:mm (UTC) */
    public record TimeWindow(String from, String to) {}

    /**
     * @param kind ip, cidr, domain, url, md5, sha1, sha256, ja3, user_agent, keyword
     * @param location URI of a CSV file with header {@code value,feed,confidence,first_seen,description}
     * @param entries number of values in the file
     */
    public record IocTable(String id, String kind, String location, long entries)
    {
        public IocTable
        {
            requireNonNull(id, "id is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(location, "location is null");
        }
    }

    /**
     * Every directory lies in the run's own folder of the day ({@code …/dt=<day>/run=<run id>/…}), so no run writes over
     * another's; which run of a day is published is recorded by Publish ({@link PublishedRuns}).
     *
     * @param opensearchIndexPrefix prefix of the per-topic indexes (normally "dragnet"); null to skip OpenSearch
     * @param summaries URI of the directory for CSV summaries of this run's day ({@code results/summaries/dt=…/run=…/})
     * @param metrics URI of the run metrics JSON file for this job
     * @param rejects URI of the directory for rejected input lines
     * @param documents URI of the directory where matched rows are kept as Parquet (input to indexing and history)
     * @param aggregates URI of the directory where aggregate rules' hits are kept as Parquet; null when no rule aggregates
     */
    public record Outputs(String opensearchIndexPrefix, String summaries, String metrics, String rejects, String documents,
            @JsonInclude(JsonInclude.Include.NON_NULL) String aggregates)
    {
        public Outputs(String opensearchIndexPrefix, String summaries, String metrics, String rejects, String documents)
        {
            this(opensearchIndexPrefix, summaries, metrics, rejects, documents, null);
        }
    }
}
