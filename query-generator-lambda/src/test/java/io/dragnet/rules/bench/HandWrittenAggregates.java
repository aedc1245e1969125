package io.dragnet.rules.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dragnet.contracts.Json;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

/**
 * The aggregate benchmark's ten aggregate rules, each both as dragnet YAML and as the plain Spark query a researcher
 * would write for it without dragnet over the same day (filter, group by the group fields and a tumbling window, the
 * measures by Spark's own functions, {@code having}, the hits with their smallest event ids written to Parquet), and a
 * comparison of the two's hits. Both take the same {@link Thresholds}, so a test can lower them until a small day has hits.
 */
public final class HandWrittenAggregates
{
    /** The conn source the rules read, as sources.yaml declares it. */
    public static final String SOURCES = """
            sources:
              bench_conn:
                format: parquet
                time_field: ts
                fields: {ts: timestamp, uid: string, id.orig_h: ip, id.orig_p: long, id.resp_h: ip, id.resp_p: long, proto: string, user_agent: string,
                         conn_state: string, orig_bytes: long, orig_pkts: long, duration: double}
                mapping: {"@timestamp": ts, event.id: uid, source.ip: id.orig_h, destination.ip: id.resp_h, destination.port: id.resp_p,
                          user_agent.original: user_agent, network.transport: proto, source.bytes: orig_bytes, source.packets: orig_pkts}
            """;

    /** The event ids an aggregate hit keeps when its rule does not say (dragnet's default {@code samples}). */
    public static final int SAMPLES = 5;

    /** Relative difference under which two measures count as equal: the two sides sum and average in different orders. */
    private static final double TOLERANCE = 1e-9;

    /** The numbers the rules' {@code having} compare with. */
    public record Thresholds(double horizontalHosts, double verticalPorts, double udpShareCount, double udpShare, double bytes, double beaconCount,
                             double beaconCv, double packetDestinations, double packetsPerDestination, double udpPacketShare, double durationP95,
                             double busyPortSources, double talkerCount, double rejected)
    {
        /** What the benchmark's rules look for. */
        public static final Thresholds BENCHMARK = new Thresholds(100, 100, 50, 0.9, 100_000_000, 20, 0.05, 50, 5, 0.8, 99.9, 1_000_000, 5000, 1000);
    }

    /** One rule's hand-written query: its hits have the group fields, {@link #WINDOW_START}, the measures and {@link #SAMPLE_IDS}. */
    public record Query(String ruleId, List<String> groupFields, List<String> measures, Dataset<Row> hits) {}

    public static final String WINDOW_START = "window_start";
    public static final String SAMPLE_IDS = "sample_ids";

    /** One rule's hits on both sides, and what differed (empty when they are the same). */
    public record RuleComparison(String ruleId, long dragnetHits, long sparkHits, List<String> differences) {}

    private HandWrittenAggregates() {}

    /** A generated day of {@link #SOURCES}' records: {@link BenchJobs#connDay} with a connection state, bytes, packets and a duration. */
    public static Dataset<Row> connDay(SparkSession spark, long records)
    {
        return BenchJobs.connDay(spark, records)
                .withColumn("conn_state", expr("element_at(array('SF', 'S0', 'REJ', 'SF', 'RSTR', 'SF'), 1 + pmod(hash(id, 10), 6))"))
                .withColumn("orig_bytes", expr("cast(pmod(hash(id, 11), 100000) as long)"))
                .withColumn("orig_pkts", expr("cast(1 + pmod(hash(id, 12), 20) as long)"))
                .withColumn("duration", expr("cast(pmod(hash(id, 13), 10000) as double) / 100"))
                .drop("id");
    }

    /** The rules as dragnet YAML, in {@link #queries} order. */
    public static List<String> rules(Thresholds t)
    {
        String header = "title: aggregate\ntopic: c2\nowner: bench\nsources: [bench_conn]\n";
        String udp = "  udp:\n    network.transport: udp\n";
        String attempts = "match:\n  attempts:\n    conn_state: [S0, REJ]\n  condition: attempts\n";
        String attemptsOrUdp = "match:\n  attempts:\n    conn_state: [S0, REJ]\n" + udp + "  condition: attempts\n";
        String all = "match:\n  recorded:\n    uid|exists: true\n  condition: recorded\n";
        String allOrUdp = "match:\n  recorded:\n    uid|exists: true\n" + udp + "  condition: recorded\n";
        return List.of(
                "id: agg-horizontal\n" + header + attempts + "aggregate:\n  group_by: [source.ip, destination.port]\n  window: 1h\n  measures:\n    hosts: count_distinct(destination.ip)\n"
                        + "  having: hosts >= " + number(t.horizontalHosts()) + "\n",
                "id: agg-vertical\n" + header + attempts + "aggregate:\n  group_by: [source.ip, destination.ip]\n  window: 1h\n  measures:\n    ports: count_distinct(destination.port)\n"
                        + "  having: ports >= " + number(t.verticalPorts()) + "\n",
                "id: agg-udp-share\n" + header + attemptsOrUdp + "aggregate:\n  group_by: [source.ip, destination.port]\n  window: 1h\n  measures:\n    n: count\n"
                        + "    share: ratio(count where udp, n)\n  having: n > " + number(t.udpShareCount()) + " and share > " + number(t.udpShare()) + "\n",
                "id: agg-bytes\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    bytes: sum(source.bytes)\n"
                        + "  having: bytes > " + number(t.bytes()) + "\n",
                "id: agg-beacon\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n    cv: interval_cv\n"
                        + "  having: n >= " + number(t.beaconCount()) + " and cv < " + number(t.beaconCv()) + "\n",
                "id: agg-packets\n" + header + allOrUdp + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    destinations: count_distinct(destination.ip)\n"
                        + "    packets: sum(source.packets)\n    udp_packets: sum(source.packets) where udp\n  having: destinations >= " + number(t.packetDestinations())
                        + " and packets / destinations < " + number(t.packetsPerDestination()) + " and ratio(udp_packets, packets) > " + number(t.udpPacketShare()) + "\n",
                "id: agg-duration\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 6h\n  measures:\n    p95: percentile(duration, 95)\n    longest: max(duration)\n"
                        + "  having: p95 > " + number(t.durationP95()) + "\n",
                "id: agg-busy-port\n" + header + all + "aggregate:\n  group_by: [destination.port]\n  window: 10m\n  measures:\n    sources: count_distinct(source.ip)\n"
                        + "  having: sources > " + number(t.busyPortSources()) + "\n",
                "id: agg-talkers\n" + header + all + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n    avg_bytes: avg(source.bytes)\n"
                        + "  having: n > " + number(t.talkerCount()) + "\n",
                "id: agg-rejects\n" + header + attempts + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    rejected: count\n    spread: stddev(duration)\n"
                        + "  having: rejected > " + number(t.rejected()) + "\n");
    }

    /**
     * The rules as plain Spark queries over {@code day} (a bench_conn partition), in {@link #rules} order: what each
     * computes follows dragnet's definitions (docs/rules.md): text matches ignoring case, windows aligned to midnight UTC, distinct counts of
     * non-null values, the sample standard deviation, the nearest-rank percentile ({@code percentile_disc}), and for
     * {@code interval_cv} the population standard deviation of the gaps between consecutive record times over their
     * mean (no value for fewer than two gaps or a zero mean); a comparison with no value does not hold.
     */
    public static List<Query> queries(Dataset<Row> day, Thresholds t)
    {
        Column attempts = upper(field("conn_state")).isin("S0", "REJ");
        Column all = field("uid").isNotNull();
        Column udp = lower(field("proto")).equalTo("udp");
        Column gap = col("gap");
        return List.of(
                query(day, "agg-horizontal", attempts, List.of("id.orig_h", "id.resp_p"), "1 hour", List.of(measure("hosts", countDistinct(field("id.resp_h")))),
                        col("hosts").geq(t.horizontalHosts())),
                query(day, "agg-vertical", attempts, List.of("id.orig_h", "id.resp_h"), "1 hour", List.of(measure("ports", countDistinct(field("id.resp_p")))),
                        col("ports").geq(t.verticalPorts())),
                query(day, "agg-udp-share", attempts, List.of("id.orig_h", "id.resp_p"), "1 hour",
                        List.of(measure("n", count(lit(1))), measure("share", count(when(udp, lit(1))).divide(count(lit(1))))),
                        col("n").gt(t.udpShareCount()).and(col("share").gt(t.udpShare()))),
                query(day, "agg-bytes", all, List.of("id.orig_h"), "1 hour", List.of(measure("bytes", sum(field("orig_bytes")))), col("bytes").gt(t.bytes())),
                query(withGaps(day.filter(all), List.of("id.orig_h"), "1 hour"), "agg-beacon", all, List.of("id.orig_h"), "1 hour",
                        List.of(measure("n", count(lit(1))), measure("cv", when(count(gap).geq(2).and(avg(gap).gt(0)), stddev_pop(gap).divide(avg(gap))))),
                        col("n").geq(t.beaconCount()).and(col("cv").lt(t.beaconCv()))),
                query(day, "agg-packets", all, List.of("id.orig_h"), "1 hour",
                        List.of(measure("destinations", countDistinct(field("id.resp_h"))), measure("packets", sum(field("orig_pkts"))),
                                measure("udp_packets", sum(when(udp, field("orig_pkts"))))),
                        col("destinations").geq(t.packetDestinations()).and(col("packets").divide(col("destinations")).lt(t.packetsPerDestination()))
                                .and(col("udp_packets").divide(col("packets")).gt(t.udpPacketShare()))),
                query(day, "agg-duration", all, List.of("id.orig_h"), "6 hours",
                        List.of(measure("p95", expr("percentile_disc(0.95) within group (order by duration)")), measure("longest", max(field("duration")))),
                        col("p95").gt(t.durationP95())),
                query(day, "agg-busy-port", all, List.of("id.resp_p"), "10 minutes", List.of(measure("sources", countDistinct(field("id.orig_h")))),
                        col("sources").gt(t.busyPortSources())),
                query(day, "agg-talkers", all, List.of("id.orig_h"), "1 hour", List.of(measure("n", count(lit(1))), measure("avg_bytes", avg(field("orig_bytes")))),
                        col("n").gt(t.talkerCount())),
                query(day, "agg-rejects", attempts, List.of("id.orig_h"), "1 hour", List.of(measure("rejected", count(lit(1))), measure("spread", stddev_samp(field("duration")))),
                        col("rejected").gt(t.rejected())));
    }

    private record Measure(String name, Column value) {}

    private static Measure measure(String name, Column value)
    {
        return new Measure(name, value);
    }

    private static Query query(Dataset<Row> day, String ruleId, Column match, List<String> groupFields, String window, List<Measure> measures, Column having)
    {
        List<Column> groups = new ArrayList<>(groupFields.stream().map(HandWrittenAggregates::field).toList());
        groups.add(window(col("ts"), window).getField("start").as(WINDOW_START));
        List<Column> aggregates = new ArrayList<>(measures.stream().map(measure -> measure.value().as(measure.name())).toList());
        aggregates.add(slice(array_sort(collect_set(field("uid"))), 1, SAMPLES).as(SAMPLE_IDS));
        Dataset<Row> hits = day.filter(match).groupBy(groups.toArray(Column[]::new))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .filter(having);
        return new Query(ruleId, groupFields, measures.stream().map(Measure::name).toList(), hits);
    }

    /** The day's records with {@code gap}: the seconds since the previous record of the same group and window (null for its first). */
    private static Dataset<Row> withGaps(Dataset<Row> records, List<String> groupFields, String window)
    {
        List<Column> partition = new ArrayList<>(groupFields.stream().map(HandWrittenAggregates::field).toList());
        partition.add(window(col("ts"), window).getField("start"));
        Column epoch = col("ts").cast("double");
        return records.withColumn("gap", epoch.minus(lag(epoch, 1).over(Window.partitionBy(partition.toArray(Column[]::new)).orderBy(col("ts")))));
    }

    private static Column field(String name)
    {
        return col("`" + name + "`");
    }

    private static String number(double value)
    {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * Compares each query's hits, as written under {@code sparkHits} (rule id → Parquet folder), with the hits of the
     * same rule in dragnet's aggregate output {@code dragnetAggregates}: the same (group, window start), every measure
     * equal (within {@link #TOLERANCE} relative), the same sample ids.
     */
    public static List<RuleComparison> compare(SparkSession spark, String dragnetAggregates, List<Query> queries, Map<String, String> sparkHits)
    {
        Map<String, Map<String, Hit>> dragnet = new HashMap<>();
        for (Row row : spark.read().parquet(dragnetAggregates).select(field("rule.id"), field("dragnet.entity"), field("@timestamp"), field("aggregate.measures"),
                field("aggregate.samples")).collectAsList()) {
            Hit hit = new Hit(measures(row.getString(3)), new TreeSet<>(row.<String>getList(4)));
            dragnet.computeIfAbsent(row.getString(0), rule -> new HashMap<>()).put(row.getString(1) + " @ " + row.getTimestamp(2).toInstant(), hit);
        }
        List<RuleComparison> comparisons = new ArrayList<>();
        for (Query query : queries) {
            Map<String, Hit> expected = dragnet.getOrDefault(query.ruleId(), Map.of());
            Map<String, Hit> actual = new HashMap<>();
            List<Column> columns = new ArrayList<>();
            columns.add(concat_ws("|", query.groupFields().stream().map(name -> field(name).cast("string")).toArray(Column[]::new)));
            columns.add(col(WINDOW_START));
            columns.add(col(SAMPLE_IDS));
            query.measures().forEach(measure -> columns.add(col(measure)));
            for (Row row : spark.read().parquet(sparkHits.get(query.ruleId())).select(columns.toArray(Column[]::new)).collectAsList()) {
                Map<String, Double> measures = new HashMap<>();
                for (int m = 0; m < query.measures().size(); m++) {
                    measures.put(query.measures().get(m), row.isNullAt(3 + m) ? null : ((Number) row.get(3 + m)).doubleValue());
                }
                actual.put(row.getString(0) + " @ " + row.getTimestamp(1).toInstant(), new Hit(measures, new TreeSet<>(row.<String>getList(2))));
            }
            List<String> differences = new ArrayList<>();
            expected.forEach((key, hit) -> {
                Hit other = actual.get(key);
                if (other == null) {
                    differences.add("only dragnet: " + key + " " + hit);
                }
                else if (!hit.matches(other)) {
                    differences.add("measures differ: " + key + " dragnet " + hit + ", spark " + other);
                }
            });
            actual.forEach((key, hit) -> {
                if (!expected.containsKey(key)) {
                    differences.add("only spark: " + key + " " + hit);
                }
            });
            comparisons.add(new RuleComparison(query.ruleId(), expected.size(), actual.size(), differences));
        }
        return comparisons;
    }

    private record Hit(Map<String, Double> measures, TreeSet<String> samples)
    {
        boolean matches(Hit other)
        {
            if (!measures.keySet().equals(other.measures.keySet()) || !samples.equals(other.samples)) {
                return false;
            }
            return measures.entrySet().stream().allMatch(entry -> close(entry.getValue(), other.measures.get(entry.getKey())));
        }

        private static boolean close(Double a, Double b)
        {
            if (a == null || b == null) {
                return a == b;
            }
            return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
        }
    }

    private static Map<String, Double> measures(String json)
    {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, Double>>() {});
        }
        catch (IOException e) {
            throw new UncheckedIOException("aggregate.measures is not JSON: " + json, e);
        }
    }
}
