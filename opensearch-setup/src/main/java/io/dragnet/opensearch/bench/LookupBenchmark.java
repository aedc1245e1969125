package io.dragnet.opensearch.bench;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.IndexAliases;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.storage.BenchmarkResults;
import io.dragnet.storage.FileTrees;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Analyst query latency on one day of topic c2 in the embedded node: starts (or reuses) the node of a DragnetHome,
 * applies {@link OpenSearchSetup}, bulk-loads {@code --docs} generated output documents ({@link ResultDayGenerator})
 * into the day's run index (0 replicas, refresh off during the load, then one refresh), publishes the day alias, and
 * times, interleaved round by round so machine noise hits every kind alike:
 * <ul>
 * <li>IoC lookups through the day alias, as Dashboards' Discover sends them (term query, newest 100 hits, exact total):
 * on {@code source.ip}, and on a domain ({@code dns.question.name} or {@code url.domain});</li>
 * <li>the same lookups on the concrete index (baseline: the alias indirection);</li>
 * <li>an hourly {@code date_histogram} over the 24 hours (Dashboards' "hits over time");</li>
 * <li>a {@code match_all} with an exact total and no hits (the floor: one round trip through TLS, security and a shard).</li>
 * </ul>
 * Every search sets {@code request_cache=false}, so repeated aggregations are computed, not read from the cache.
 * Latency is client-side wall time (TLS HTTP round trip and JSON parsing included). Prints a table and a JSON line.
 *
 * <p>{@code java -cp <module classpath> io.dragnet.opensearch.bench.LookupBenchmark [--docs 2000000] [--queries 200]
 * [--warmup 50] [--batch 5000] [--home DIR (kept; its index is reused when it has --docs documents)]}
 */
public final class LookupBenchmark
{
    private static final LocalDate DAY = LocalDate.of(2018, 11, 2);
    private static final String TOPIC = "c2";
    private static final double TARGET_P95_MILLIS = 200;

    private LookupBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        long docs = Long.parseLong(option(args, "--docs", "2000000"));
        int queries = Integer.parseInt(option(args, "--queries", "200"));
        int warmup = Integer.parseInt(option(args, "--warmup", "50"));
        int batch = Integer.parseInt(option(args, "--batch", "5000"));
        String homeOption = option(args, "--home", "");
        boolean temporaryHome = homeOption.isEmpty();
        Path root = temporaryHome
                // /tmp is traversable by others, so the node (uid 65534 when this runs as root) reaches its folder.
                ? Files.createTempDirectory("dragnet-lookup-bench-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")))
                : Path.of(homeOption);
        DragnetHome home = new DragnetHome(root);

        long startNanos = System.nanoTime();
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(home);
        double startSeconds = seconds(startNanos);
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
            String index = IndexNames.runIndex(TOPIC, DAY, "bench");
            String alias = IndexNames.dayAlias(TOPIC, DAY);
            ResultDayGenerator generator = ResultDayGenerator.standard(DAY);

            double loadSeconds = 0;
            boolean reused = count(client, index) == docs;
            if (!reused) {
                loadSeconds = load(client, generator, index, docs, batch);
            }
            IndexAliases.publish(client, TOPIC, DAY, index);
            Map<String, Object> stats = indexStats(client, index);

            Map<String, IntFunction<SearchRequest>> kinds = queryKinds(generator, alias, index);
            Map<String, long[]> latencies = new LinkedHashMap<>();
            Map<String, Long> hits = new LinkedHashMap<>();
            kinds.keySet().forEach(kind -> {
                latencies.put(kind, new long[queries]);
                hits.put(kind, 0L);
            });
            for (int round = -warmup; round < queries; round++) {
                // Rotate the order each round so no kind always runs right after the same neighbour.
                List<String> order = new ArrayList<>(kinds.keySet());
                java.util.Collections.rotate(order, Math.floorMod(round, order.size()));
                for (String kind : order) {
                    // Warm-up rounds use other values than the measured ones (negative query numbers).
                    SearchRequest request = kinds.get(kind).apply(round);
                    long start = System.nanoTime();
                    SearchResponse<Map> response = client.search(request, Map.class);
                    long elapsed = System.nanoTime() - start;
                    if (round >= 0) {
                        latencies.get(kind)[round] = elapsed;
                        hits.merge(kind, response.hits().total().value(), Long::sum);
                    }
                }
            }
            report("LookupBenchmark " + String.join(" ", args), docs, queries, warmup, batch, reused, startSeconds, loadSeconds, stats, latencies, hits);
        }
        finally {
            client._transport().close();
            node.stop();
            if (temporaryHome) {
                FileTrees.deleteRecursively(root);
            }
        }
    }

    /** Kind → request for query number {@code n} (values vary by n; measured and warm-up numbers never share one). */
    private static Map<String, IntFunction<SearchRequest>> queryKinds(ResultDayGenerator generator, String alias, String index)
    {
        List<String> sources = generator.sourcePool();
        List<String> domains = generator.domainPool();
        Map<String, IntFunction<SearchRequest>> kinds = new LinkedHashMap<>();
        kinds.put("ioc_source_ip_alias", n -> lookup(alias, Query.of(q -> q.term(t -> t.field("source.ip").value(FieldValue.of(pick(sources, n, 1)))))));
        kinds.put("ioc_source_ip_index", n -> lookup(index, Query.of(q -> q.term(t -> t.field("source.ip").value(FieldValue.of(pick(sources, n, 2)))))));
        kinds.put("ioc_domain_alias", n -> lookup(alias, domainQuery(pick(domains, n, 3))));
        kinds.put("ioc_domain_index", n -> lookup(index, domainQuery(pick(domains, n, 4))));
        kinds.put("histogram_24h_hourly", n -> SearchRequest.of(s -> s.index(alias).size(0).requestCache(false).trackTotalHits(t -> t.enabled(true))
                .query(q -> q.range(r -> r.field("@timestamp").gte(jsonString(DAY + "T00:00:00Z"))
                        .lt(jsonString(DAY.plusDays(1) + "T00:00:00Z"))))
                .aggregations("per_hour", a -> a.dateHistogram(h -> h.field("@timestamp").fixedInterval(i -> i.time("1h")).minDocCount(0)))));
        kinds.put("floor_match_all_count", n -> SearchRequest.of(s -> s.index(alias).size(0).requestCache(false).trackTotalHits(t -> t.enabled(true))
                .query(q -> q.matchAll(m -> m))));
        return kinds;
    }

    private static Query domainQuery(String domain)
    {
        return Query.of(q -> q.bool(b -> b.minimumShouldMatch("1")
                .should(s -> s.term(t -> t.field("dns.question.name").value(FieldValue.of(domain))))
                .should(s -> s.term(t -> t.field("url.domain").value(FieldValue.of(domain))))));
    }

    /** Discover's shape: newest 100 hits, exact total. */
    private static SearchRequest lookup(String target, Query query)
    {
        return SearchRequest.of(s -> s.index(target).size(100).requestCache(false).trackTotalHits(t -> t.enabled(true))
                .query(query)
                .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc))));
    }

    /** A pool value for query n of a kind: nine in ten from the pool (popular and rare alike), one in ten absent. */
    private static String pick(List<String> pool, int n, int salt)
    {
        SplittableRandom random = new SplittableRandom(n * 7919L + salt);
        if (random.nextInt(10) == 0) {
            return pool.get(0).contains(".") && Character.isDigit(pool.get(0).charAt(0)) ? "203.0.113." + (1 + random.nextInt(254)) : "absent-" + n + ".example";
        }
        return pool.get(random.nextInt(pool.size()));
    }

    private static org.opensearch.client.json.JsonData jsonString(String value)
    {
        return org.opensearch.client.json.JsonData.of(value);
    }

    private static double load(OpenSearchClient client, ResultDayGenerator generator, String index, long docs, int batch)
            throws Exception
    {
        OpenSearchRest.call(client, "DELETE", "/" + index, null);
        // The template gives mappings, one shard and 0 replicas; refresh stays off until the load is done.
        OpenSearchRest.require(client, "PUT", "/" + index, Map.of("settings", Map.of("index", Map.of("number_of_replicas", 0, "refresh_interval", "-1",
                "translog", Map.of("durability", "async")))));
        long start = System.nanoTime();
        // Two bulk requests in flight: one being indexed while the next is generated and sent.
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> inFlight = new ArrayList<>();
            long lastReport = System.nanoTime();
            for (long from = 0; from < docs; from += batch) {
                long to = Math.min(docs, from + batch);
                List<BulkOperation> operations = new ArrayList<>((int) (to - from));
                for (long i = from; i < to; i++) {
                    ResultDayGenerator.Document document = generator.document(i);
                    operations.add(BulkOperation.of(o -> o.index(x -> x.index(index).id(document.id()).document(document.source()))));
                }
                if (inFlight.size() >= 2) {
                    inFlight.remove(0).get();
                }
                inFlight.add(senders.submit(() -> {
                    BulkResponse response = client.bulk(b -> b.operations(operations));
                    if (response.errors()) {
                        BulkResponseItem failed = response.items().stream().filter(item -> item.error() != null).findFirst().orElseThrow();
                        throw new IllegalStateException("bulk item " + failed.id() + " failed: " + failed.error().reason());
                    }
                    return null;
                }));
                if (System.nanoTime() - lastReport > 30_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.err.printf(Locale.ROOT, "loaded %,d of %,d documents (%.0f docs/s)%n", to, docs, to / seconds(start));
                }
            }
            for (Future<?> future : inFlight) {
                future.get();
            }
        }
        finally {
            senders.shutdown();
        }
        OpenSearchRest.require(client, "PUT", "/" + index + "/_settings", Map.of("index", Map.of("refresh_interval", "5s", "translog", Map.of("durability", "request"))));
        OpenSearchRest.require(client, "POST", "/" + index + "/_refresh", null);
        double seconds = seconds(start);
        long loaded = count(client, index);
        if (loaded != docs) {
            throw new IllegalStateException("index " + index + " holds " + loaded + " documents after loading " + docs);
        }
        return seconds;
    }

    private static long count(OpenSearchClient client, String index)
    {
        RestResponse response = OpenSearchRest.call(client, "GET", "/" + index + "/_count", null);
        return response.ok() ? ((Number) OpenSearchRest.parse(response.body()).get("count")).longValue() : -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> indexStats(OpenSearchClient client, String index)
    {
        Map<String, Object> all = OpenSearchRest.parse(OpenSearchRest.require(client, "GET", "/" + index + "/_stats/store,segments", null));
        Map<String, Object> primaries = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) all.get("indices")).get(index)).get("primaries");
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("store_bytes", ((Map<String, Object>) primaries.get("store")).get("size_in_bytes"));
        stats.put("segments", ((Map<String, Object>) primaries.get("segments")).get("count"));
        return stats;
    }

    private static void report(String command, long docs, int queries, int warmup, int batch, boolean reused, double startSeconds, double loadSeconds,
            Map<String, Object> stats, Map<String, long[]> latencies, Map<String, Long> hits)
    {
        Map<String, double[]> percentiles = new LinkedHashMap<>();
        latencies.forEach((kind, values) -> percentiles.put(kind, percentiles(values)));
        double floorP50 = percentiles.get("floor_match_all_count")[0];

        System.out.printf(Locale.ROOT, "LookupBenchmark: %,d documents in %s (1 shard, 0 replicas, %s segments, %.0f MB), node start %.1f s, %s%n",
                docs, IndexNames.runIndex(TOPIC, DAY, "bench"), stats.get("segments"), ((Number) stats.get("store_bytes")).doubleValue() / 1e6, startSeconds,
                reused ? "index reused" : String.format(Locale.ROOT, "bulk load %.1f s (%.0f docs/s, batches of %,d)", loadSeconds, docs / loadSeconds, batch));
        System.out.printf(Locale.ROOT, "%d measured queries per kind after %d warm-up rounds, interleaved; client wall time, request cache off%n", queries, warmup);
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %9s %9s %12s %12s%n", "query", "p50 ms", "p95 ms", "p99 ms", "max ms", "avg hits", "p50/floor");
        percentiles.forEach((kind, p) -> System.out.printf(Locale.ROOT, "%-24s %9.1f %9.1f %9.1f %9.1f %12.1f %11.2fx%n",
                kind, p[0], p[1], p[2], p[3], hits.get(kind) / (double) queries, p[0] / floorP50));
        double lookupP95 = Math.max(percentiles.get("ioc_source_ip_alias")[1], percentiles.get("ioc_domain_alias")[1]);
        System.out.printf(Locale.ROOT, "alias/index p95: source.ip %.2fx, domain %.2fx; lookup p95 %.1f ms vs target %.0f ms: %s%n",
                percentiles.get("ioc_source_ip_alias")[1] / percentiles.get("ioc_source_ip_index")[1],
                percentiles.get("ioc_domain_alias")[1] / percentiles.get("ioc_domain_index")[1],
                lookupP95, TARGET_P95_MILLIS, lookupP95 <= TARGET_P95_MILLIS ? "met" : "MISSED");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "opensearch_lookup");
        json.put("docs", docs);
        json.put("queries", queries);
        json.put("warmup_rounds", warmup);
        json.put("node_start_s", round(startSeconds));
        json.put("load_s", reused ? null : round(loadSeconds));
        json.put("load_docs_per_s", reused ? null : Math.round(docs / loadSeconds));
        json.putAll(stats);
        Map<String, Object> results = new LinkedHashMap<>();
        percentiles.forEach((kind, p) -> results.put(kind, Map.of("p50_ms", round(p[0]), "p95_ms", round(p[1]), "p99_ms", round(p[2]), "max_ms", round(p[3]),
                "avg_hits", round(hits.get(kind) / (double) queries), "p50_over_floor", round(p[0] / floorP50))));
        json.put("results", results);
        json.put("lookup_p95_ms", round(lookupP95));
        json.put("target_p95_ms", TARGET_P95_MILLIS);
        json.put("target_met", lookupP95 <= TARGET_P95_MILLIS);
        BenchmarkResults.record(json, command, new java.io.PrintWriter(System.out, true));
    }

    /** p50, p95, p99 (nearest rank) and max, in milliseconds. */
    static double[] percentiles(long[] nanos)
    {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[] {rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), sorted[sorted.length - 1] / 1e6};
    }

    private static double rank(long[] sorted, double quantile)
    {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }


    private static double round(double value)
    {
        return Math.round(value * 100) / 100.0;
    }

    private static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String option(String[] args, String name, String fallback)
    {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
