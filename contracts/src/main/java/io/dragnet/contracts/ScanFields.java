package io.dragnet.contracts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which source fields an extraction job reads from a columnar (Parquet) day: the fields its rules filter on (predicates,
 * IoC and keyword matches, aggregate measure filters), the fields its documents show (each ECS-style document field the
 * source has, the time field, the URL parts, the rules' output fields and summary fields) and the fields its aggregate
 * rules group and measure. Every other column of the day is never read.
 *
 * <p>A record rule without output fields keeps the whole record in {@code event.original}, and a NIDS verdict source is
 * deduplicated on its whole session: then every field is read ({@link #needed} is empty).
 *
 * <p>Also the one home of which source field feeds which ECS-style document field, found by the source's own field
 * names (Zeek's {@code id.orig_h}, the verdicts' {@code src_ip}, common generic names).
 */
public final class ScanFields
{
    /** ECS-style document field → the source field names that feed it, the first present wins. */
    public static final Map<String, List<String>> ECS_CANDIDATES;
    /** The names of a source's time field, the first present wins, when the spec names none. */
    public static final List<String> TIME_CANDIDATES = List.of("ts", "start_time", "@timestamp", "timestamp");
    /** The fields url.full is built from: a url field, else Zeek http's host and uri. */
    public static final List<String> URL_FIELDS = List.of("url", "host", "uri");

    static {
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        candidates.put("event.id", List.of("uid", "session_id", "event_id", "id"));
        candidates.put("source.ip", List.of("id.orig_h", "src_ip", "source_ip", "src"));
        candidates.put("source.port", List.of("id.orig_p", "src_port", "source_port", "sport"));
        candidates.put("destination.ip", List.of("id.resp_h", "dst_ip", "destination_ip", "dst"));
        candidates.put("destination.port", List.of("id.resp_p", "dst_port", "destination_port", "dport"));
        candidates.put("network.transport", List.of("proto", "transport", "protocol"));
        candidates.put("network.protocol", List.of("service", "app_protocol"));
        candidates.put("dns.question.name", List.of("query", "dns_query", "qname"));
        candidates.put("url.domain", List.of("host", "domain", "url_domain"));
        candidates.put("http.request.method", List.of("method", "http_method"));
        candidates.put("http.response.status_code", List.of("status_code", "http_status"));
        candidates.put("user_agent.original", List.of("user_agent", "useragent"));
        candidates.put("tls.server.name", List.of("server_name", "sni"));
        candidates.put("tls.client.ja3", List.of("ja3"));
        candidates.put("file.hash.md5", List.of("md5"));
        candidates.put("file.hash.sha1", List.of("sha1"));
        candidates.put("file.hash.sha256", List.of("sha256"));
        candidates.put("nids.score", List.of("score"));
        candidates.put("nids.predicted_malicious", List.of("predicted_malicious"));
        candidates.put("nids.attack_category", List.of("attack_category"));
        ECS_CANDIDATES = java.util.Collections.unmodifiableMap(candidates);
    }

    private ScanFields() {}

    /** ECS field → the source field that feeds it, for the fields a source has. */
    public static Map<String, String> ecsSourceFields(Collection<String> available)
    {
        Map<String, String> mapping = new LinkedHashMap<>();
        ECS_CANDIDATES.forEach((ecs, candidates) -> candidates.stream().filter(available::contains).findFirst().ifPresent(field -> mapping.put(ecs, field)));
        return mapping;
    }

    /** The spec's time field when the source has it, else the first of {@link #TIME_CANDIDATES} it has. */
    public static Optional<String> timeField(Collection<String> available, String declaredTimeField)
    {
        if (declaredTimeField != null && available.contains(declaredTimeField)) {
            return Optional.of(declaredTimeField);
        }
        return TIME_CANDIDATES.stream().filter(available::contains).findFirst();
    }

    /**
     * The fields of {@code available} the job reads, in the order of {@code available}; empty when it reads them all
     * (see the class comment).
     *
     * @param available the source's fields: the day's columns and the spec's declared fields
     */
    public static Optional<List<String>> needed(JobSpec spec, Collection<String> available)
    {
        if (VerdictColumns.isVerdictSource(available)) {
            return Optional.empty();
        }
        Set<String> needed = new LinkedHashSet<>(ecsSourceFields(available).values());
        timeField(available, spec.source().timeField()).ifPresent(needed::add);
        needed.addAll(URL_FIELDS);
        for (JobSpec.RuleSpec rule : spec.rules()) {
            if (rule.aggregate() == null && rule.outputFields().isEmpty()) {
                return Optional.empty();
            }
            addPredicateFields(rule.predicate(), needed);
            needed.addAll(rule.outputFields());
            needed.addAll(rule.summaryGroupBy());
            if (rule.aggregate() != null) {
                needed.addAll(rule.aggregate().groupBy());
                for (AggregateSpec.MeasureSpec measure : rule.aggregate().measures()) {
                    if (measure.field() != null) {
                        needed.add(measure.field());
                    }
                    addPredicateFields(measure.filter(), needed);
                }
            }
        }
        List<String> read = new ArrayList<>();
        for (String field : available) {
            if (needed.contains(field) && !read.contains(field)) {
                read.add(field);
            }
        }
        return Optional.of(List.copyOf(read));
    }

    private static void addPredicateFields(Predicate predicate, Set<String> fields)
    {
        if (predicate instanceof Predicate.And and) {
            and.children().forEach(child -> addPredicateFields(child, fields));
        }
        else if (predicate instanceof Predicate.Or or) {
            or.children().forEach(child -> addPredicateFields(child, fields));
        }
        else if (predicate instanceof Predicate.Not not) {
            addPredicateFields(not.child(), fields);
        }
        else if (predicate instanceof Predicate.FieldMatch match) {
            fields.add(match.field());
        }
        else if (predicate instanceof Predicate.IocMatch match) {
            fields.addAll(match.fields());
        }
        else if (predicate instanceof Predicate.KeywordMatch match) {
            fields.add(match.field());
        }
    }
}
