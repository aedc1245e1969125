package io.dragnet.rules.feeds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;
import io.dragnet.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FetchFeeds against a JDK HTTP server on 127.0.0.1 serving the recorded real feeds of ../shared/datasets: conditional
 * requests, dated immutable snapshots, and failures (a 500, a server that never answers, a body cut short) that keep
 * the previous snapshot in use and say so; rules read the snapshot of their day. No MISP feed is recorded there: the
 * MISP feed is served from the sample MISP events of the checkout with a manifest in MISP's feed shape.
 */
final class TestFeedFetcher
{
    private static final Path DATASETS = RepositoryPaths.root().resolveSibling("shared").resolve("datasets");
    private static final Path FEODO = DATASETS.resolve("ioc/feodotracker_ipblocklist_2021-12-20.csv");
    private static final Path STIX_C2 = DATASETS.resolve("stix2.1-schemas/examples/indicator-for-c2-ip-address.json");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    private HttpServer server;
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2021-12-20T06:00:00Z"));
    private FeedSnapshots snapshots;

    /** What the server answers on a path: a status, headers and a body, possibly cut after {@code sentBytes}, or no answer at all. */
    private record Response(int status, Map<String, String> headers, byte[] body, int sentBytes, boolean hang) {}

    @BeforeEach
    void startServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        snapshots = new FeedSnapshots(new LocalObjectStore(), temp.resolve("feeds/snapshots").toUri().toString());
    }

    @AfterEach
    void stopServer()
    {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange exchange)
            throws IOException
    {
        Map<String, String> seen = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        seen.put(":path", exchange.getRequestURI().toString());
        requests.add(seen);
        Response response = responses.get(exchange.getRequestURI().getPath());
        if (response == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        if (response.hang()) {
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (response.status() == 304 && seen.containsKey("if-none-match") || response.status() == 304 && seen.containsKey("if-modified-since")) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        Response served = response.status() == 304 ? new Response(200, response.headers(), response.body(), response.sentBytes(), false) : response;
        served.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(served.status(), served.body().length == 0 ? -1 : served.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(served.body(), 0, served.sentBytes());
        }
        catch (IOException e) {
            // the client may give up on a cut body first
        }
        exchange.close();
    }

    private void serve(String path, int status, Map<String, String> headers, byte[] body)
    {
        responses.put(path, new Response(status, headers, body, body.length, false));
    }

    private Feed feed(String name, String path, FeedFormat format, Duration refresh)
    {
        return new Feed(name, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), format, refresh, new SourcePosition("feeds.yaml", 3, 3));
    }

    private FeedFetcher fetcher(Duration timeout)
    {
        return new FeedFetcher(FeedFetcher.defaultClient(timeout), snapshots, clock, timeout);
    }

    @Test
    void downloadsOnceThenAsksWithTheETagAndKeepsTheSnapshotOnA304()
            throws IOException
    {
        byte[] feodo = Files.readAllBytes(FEODO);
        // 304 answers requests that carry the validators, 200 with the body the others
        responses.put("/feodo.csv", new Response(304, Map.of("ETag", "\"feodo-1\"", "Last-Modified", "Mon, 20 Dec 2021 00:03:32 GMT"), feodo, feodo.length, false));
        Feed feed = feed("feodo", "/feodo.csv", FeedFormat.CSV, Duration.ofHours(1));

        FeedFetcher.Outcome first = fetcher(TIMEOUT).fetch(feed);
        assertThat(first.status()).isEqualTo(FeedFetcher.Status.FETCHED);
        assertThat(Path.of(URI.create(first.snapshot()))).hasBinaryContent(feodo);
        assertThat(first.snapshot()).contains("/feodo/dt=2021-12-20/060000.000Z.csv");

        // within the refresh period nobody is asked
        clock.advance(Duration.ofMinutes(30));
        assertThat(fetcher(TIMEOUT).fetch(feed).status()).isEqualTo(FeedFetcher.Status.FRESH);
        assertThat(requests).hasSize(1);

        clock.advance(Duration.ofMinutes(31));
        FeedFetcher.Outcome second = fetcher(TIMEOUT).fetch(feed);
        assertThat(second.status()).isEqualTo(FeedFetcher.Status.NOT_MODIFIED);
        assertThat(second.snapshot()).isEqualTo(first.snapshot());
        assertThat(requests.get(1)).containsEntry("if-none-match", "\"feodo-1\"").containsEntry("if-modified-since", "Mon, 20 Dec 2021 00:03:32 GMT");
        assertThat(snapshotFiles()).hasSize(1);
    }

    @Test
    void failuresKeepThePreviousSnapshotInUseAndSaySo()
            throws IOException
    {
        byte[] feodo = Files.readAllBytes(FEODO);
        serve("/feodo.csv", 200, Map.of(), feodo);
        Feed feed = feed("feodo", "/feodo.csv", FeedFormat.CSV, Duration.ofMinutes(1));
        String good = fetcher(TIMEOUT).fetch(feed).snapshot();

        clock.advance(Duration.ofMinutes(5));
        serve("/feodo.csv", 500, Map.of(), "internal error".getBytes(StandardCharsets.UTF_8));
        FeedFetcher.Outcome serverError = fetcher(TIMEOUT).fetch(feed);
        assertThat(serverError.status()).isEqualTo(FeedFetcher.Status.FAILED);
        assertThat(serverError.snapshot()).isEqualTo(good);
        assertThat(serverError.toString()).contains("HTTP 500 from http://127.0.0.1:").contains("previous snapshot stays in use").doesNotContain("internal error");

        clock.advance(Duration.ofMinutes(5));
        responses.put("/feodo.csv", new Response(200, Map.of(), feodo, feodo.length / 2, false));
        FeedFetcher.Outcome cut = fetcher(TIMEOUT).fetch(feed);
        assertThat(cut.status()).isEqualTo(FeedFetcher.Status.FAILED);
        assertThat(cut.snapshot()).isEqualTo(good);

        clock.advance(Duration.ofMinutes(5));
        responses.put("/feodo.csv", new Response(200, Map.of(), feodo, 0, true));
        FeedFetcher.Outcome silent = fetcher(Duration.ofMillis(300)).fetch(feed);
        assertThat(silent.status()).isEqualTo(FeedFetcher.Status.FAILED);
        assertThat(silent.detail()).contains("no answer from http://127.0.0.1:").contains("previous snapshot stays in use");
        assertThat(silent.snapshot()).isEqualTo(good);

        assertThat(snapshotFiles()).hasSize(1);
        assertThat(Path.of(URI.create(good))).hasBinaryContent(feodo);
    }

    @Test
    void aStixBundleCutShortIsRefusedAndTaxiiPagesBecomeOneBundle()
            throws IOException
    {
        byte[] stix = Files.readAllBytes(STIX_C2);
        // chunked (no Content-Length) and cut: only the JSON check can tell
        responses.put("/bundle.json", new Response(200, Map.of(), stix, stix.length - 20, false));
        server.removeContext("/");
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/bundle.json")) {
                requests.add(Map.of(":path", "/bundle.json"));
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(stix, 0, stix.length - 20);
                }
                return;
            }
            answer(exchange);
        });
        FeedFetcher.Outcome cut = fetcher(TIMEOUT).fetch(feed("c2-bundle", "/bundle.json", FeedFormat.STIX, Duration.ofHours(1)));
        assertThat(cut.status()).isEqualTo(FeedFetcher.Status.FAILED);
        assertThat(cut.detail()).contains("not complete JSON");
        assertThat(cut.snapshot()).isNull();

        // a TAXII 2.1 collection: the example's indicator on page 1, a second object on page 2
        String indicator = new String(stix, StandardCharsets.UTF_8);
        indicator = indicator.substring(indicator.indexOf("{", indicator.indexOf("\"objects\"")), indicator.lastIndexOf("}", indicator.lastIndexOf("]")) + 1);
        String page1 = "{\"more\": true, \"next\": \"p2\", \"objects\": [" + indicator + "]}";
        String page2 = "{\"more\": false, \"objects\": [" + indicator.replace("33fe3b22", "44fe3b22").replace("10.0.0.0", "198.51.100.9") + "]}";
        server.removeContext("/");
        server.createContext("/", exchange -> {
            requests.add(Map.of(":path", exchange.getRequestURI().toString(), "accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept"))));
            byte[] body = (exchange.getRequestURI().getQuery() == null ? page1 : page2).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        FeedFetcher.Outcome taxii = fetcher(TIMEOUT).fetch(feed("taxii-c2", "/api1/collections/c2/objects/", FeedFormat.TAXII, Duration.ofHours(1)));
        assertThat(taxii.status()).as(taxii.toString()).isEqualTo(FeedFetcher.Status.FETCHED);
        String bundle = Files.readString(Path.of(URI.create(taxii.snapshot())));
        assertThat(bundle).containsPattern("\"type\" ?: ?\"bundle\"").contains("10.0.0.0").contains("198.51.100.9");
        assertThat(requests).filteredOn(request -> request.get(":path").startsWith("/api1")).extracting(request -> request.get("accept"))
                .containsOnly("application/taxii+json;version=2.1");
        assertThat(requests).extracting(request -> request.get(":path")).contains("/api1/collections/c2/objects/?next=p2");
    }

    @Test
    void rulesReadTheSnapshotOfTheirDaySoAPastDayRerunIsReproducible()
            throws IOException
    {
        Path feedsFolder = temp.resolve("feeds");
        snapshots = new FeedSnapshots(new LocalObjectStore(), feedsFolder.resolve(FeedSnapshots.SNAPSHOTS_FOLDER).toUri().toString());
        byte[] feodo = Files.readAllBytes(FEODO);
        Feed feed = feed("feodo", "/feodo.csv", FeedFormat.CSV, Duration.ofHours(1));
        // day 1: the recorded export; day 2: the same export without its online rows
        serve("/feodo.csv", 200, Map.of(), feodo);
        fetcher(TIMEOUT).fetch(feed);
        clock.advance(Duration.ofDays(1));
        String withoutOnline = String.join("\r\n", new String(feodo, StandardCharsets.UTF_8).lines().filter(line -> !line.contains("\"online\"")).toList());
        serve("/feodo.csv", 200, Map.of(), withoutOnline.getBytes(StandardCharsets.UTF_8));
        fetcher(TIMEOUT).fetch(feed);

        Path rules = ipRuleOnFeed("feodo");
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation dayOne = compile(compiler, rules, feedsFolder, LocalDate.parse("2021-12-20"));
        Compilation dayTwo = compile(compiler, rules, feedsFolder, LocalDate.parse("2021-12-21"));
        Compilation before = compile(compiler, rules, feedsFolder, LocalDate.parse("2021-12-19"));

        // 316 online rows (311 distinct addresses) on day 1; none online on day 2: an empty set, an error naming why
        assertThat(dayOne.problems()).isEmpty();
        assertThat(dayOne.jobs().get(0).spec().iocTables().get(0).entries()).isEqualTo(311);
        assertThat(dayTwo.problems()).singleElement().asString().contains("loaded no value").contains("offline");
        assertThat(before.problems()).singleElement().asString().contains("feed 'feodo' has no snapshot fetched on or before 2021-12-19");
        // a re-run of day 1 after day 2's fetch reads day 1's snapshot again
        assertThat(compile(compiler, rules, feedsFolder, LocalDate.parse("2021-12-20")).jobs().get(0).spec().iocTables())
                .isEqualTo(dayOne.jobs().get(0).spec().iocTables());
    }

    /**
     * A MISP feed served as MISP serves one: manifest.json naming each event by UUID with its timestamp, and one
     * {@code <uuid>.json} per event (here the sample Trickbot event and the IoC-format test event).
     */
    @Test
    void aMispFeedIsItsManifestAndTheEventsItListsFetchedAgainOnlyWhenChanged()
            throws IOException
    {
        Path feedsFolder = temp.resolve("feeds");
        snapshots = new FeedSnapshots(new LocalObjectStore(), feedsFolder.resolve(FeedSnapshots.SNAPSHOTS_FOLDER).toUri().toString());
        String trickbot = "5be5a3f1-8a4c-4a0e-9f6b-2f0aac120002";
        String other = "0c7d2a34-1b5e-4c8f-a9d0-7e4b1c2d3e4f";
        serve("/osint/" + trickbot + ".json", 200, Map.of(), Files.readAllBytes(RepositoryPaths.root().resolve("samples/iocs/trickbot-2018-11.misp.json")));
        serve("/osint/" + other + ".json", 200, Map.of(), Files.readAllBytes(RepositoryPaths.root().resolve("query-generator-lambda/src/test/resources/golden/ioc-formats/iocs/event.misp.json")));
        byte[] manifest = mispManifest(trickbot, "1541721600", other, "1541808000");
        responses.put("/osint/manifest.json", new Response(304, Map.of("ETag", "\"manifest-1\""), manifest, manifest.length, false));
        Feed feed = feed("osint", "/osint/", FeedFormat.MISP_MANIFEST, Duration.ofHours(1));

        FeedFetcher.Outcome first = fetcher(TIMEOUT).fetch(feed);
        assertThat(first.status()).as(first.toString()).isEqualTo(FeedFetcher.Status.FETCHED);
        assertThat(first.snapshot()).endsWith(".json");
        assertThat(eventRequests(trickbot)).isEqualTo(1);

        // rules read the feed's events as one MISP file: an ip rule gets the Trickbot event's two C2 addresses and the
        // address half of the test event's domain|ip pair, a domain rule the test event's names
        Path rules = ipRuleOnFeed("osint");
        Compilation compiled = compile(new RuleCompiler(new LocalObjectStore()), rules, feedsFolder, LocalDate.parse("2021-12-20"));
        assertThat(compiled.problems()).isEmpty();
        assertThat(compiled.jobs().get(0).spec().iocTables()).singleElement().satisfies(table -> assertThat(table.entries()).isEqualTo(3));
        assertThat(new String(compiled.jobs().get(0).tables().values().iterator().next(), StandardCharsets.UTF_8)).contains("190.145.74.84", "173.171.132.82", "203.0.113.9");
        Files.writeString(rules.resolve("c2.yaml"), Files.readString(rules.resolve("c2.yaml")).replace("ioc: ip", "ioc: domain").replace("[zeek_conn]", "[zeek_dns]"));
        Compilation domains = compile(new RuleCompiler(new LocalObjectStore()), rules, feedsFolder, LocalDate.parse("2021-12-20"));
        assertThat(domains.problems()).isEmpty();
        assertThat(new String(domains.jobs().get(0).tables().values().iterator().next(), StandardCharsets.UTF_8)).contains("evil-cdn.example", "pair.example");

        // the manifest did not change: a 304, and no event is asked for
        clock.advance(Duration.ofHours(2));
        FeedFetcher.Outcome unchanged = fetcher(TIMEOUT).fetch(feed);
        assertThat(unchanged.status()).isEqualTo(FeedFetcher.Status.NOT_MODIFIED);
        assertThat(requests).filteredOn(request -> request.get(":path").equals("/osint/manifest.json")).last().satisfies(request -> assertThat(request).containsEntry("if-none-match", "\"manifest-1\""));
        assertThat(eventRequests(trickbot) + eventRequests(other)).isEqualTo(2);

        // one event changed: only that one is downloaded again, the other comes from the previous snapshot
        clock.advance(Duration.ofHours(2));
        serve("/osint/manifest.json", 200, Map.of("ETag", "\"manifest-2\""), mispManifest(trickbot, "1541721600", other, "1541900000"));
        FeedFetcher.Outcome changed = fetcher(TIMEOUT).fetch(feed);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(FeedFetcher.Status.FETCHED);
        assertThat(eventRequests(trickbot)).isEqualTo(1);
        assertThat(eventRequests(other)).isEqualTo(2);
        assertThat(Files.readString(Path.of(URI.create(changed.snapshot())))).contains("190.145.74.84", "evil-cdn.example");

        // failures write nothing and keep the latest snapshot: an event answered 500, an event cut short, a manifest
        // that is not JSON, a manifest naming something that is not a UUID
        String good = changed.snapshot();
        byte[] otherEvent = Files.readAllBytes(RepositoryPaths.root().resolve("query-generator-lambda/src/test/resources/golden/ioc-formats/iocs/event.misp.json"));
        List<Runnable> failures = List.of(
                () -> serve("/osint/" + other + ".json", 500, Map.of(), "no".getBytes(StandardCharsets.UTF_8)),
                () -> responses.put("/osint/" + other + ".json", new Response(200, Map.of(), otherEvent, otherEvent.length / 2, false)),
                () -> serve("/osint/manifest.json", 200, Map.of(), "{\"0c7d2a34".getBytes(StandardCharsets.UTF_8)),
                () -> serve("/osint/manifest.json", 200, Map.of(), "{\"../../secrets\": {\"timestamp\": \"1\"}}".getBytes(StandardCharsets.UTF_8)));
        List<String> details = new java.util.ArrayList<>();
        int timestamp = 1541900001;
        for (Runnable failure : failures) {
            clock.advance(Duration.ofHours(2));
            serve("/osint/manifest.json", 200, Map.of(), mispManifest(trickbot, "1541721600", other, Integer.toString(timestamp++)));
            failure.run();
            FeedFetcher.Outcome failed = fetcher(TIMEOUT).fetch(feed);
            assertThat(failed.status()).as(failed.toString()).isEqualTo(FeedFetcher.Status.FAILED);
            assertThat(failed.snapshot()).isEqualTo(good);
            assertThat(failed.detail()).contains("previous snapshot stays in use").doesNotContain("secrets");
            details.add(failed.detail());
        }
        assertThat(details.get(0)).contains("HTTP 500 from http://127.0.0.1:").contains("for MISP event " + other);
        assertThat(details.get(1)).as("the JDK client either sees the cut or waits for the rest until the timeout").containsAnyOf("truncated body", "download from http://127.0.0.1:", "no answer from http://127.0.0.1:");
        assertThat(details.get(2)).contains("the MISP manifest from http://127.0.0.1:").contains("is not complete JSON");
        assertThat(details.get(3)).contains("lists an event that is not a UUID");
        assertThat(snapshotFiles()).hasSize(2);
    }

    /** A rules folder with one rule c2.yaml sweeping zeek_conn for the addresses of {@code feed:<feed>}. */
    private Path ipRuleOnFeed(String feed)
            throws IOException
    {
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve("c2.yaml"), """
                id: c2-%s
                title: C2 addresses of a feed
                topic: c2
                owner: c2@example
                sources: [zeek_conn]
                match:
                  c2:
                    ioc: ip
                    files: [feed:%s]
                  condition: c2
                """.formatted(feed, feed));
        return rules;
    }

    private static byte[] mispManifest(String firstUuid, String firstTimestamp, String secondUuid, String secondTimestamp)
    {
        String entry = "\"%s\": {\"info\": \"%s\", \"date\": \"2018-11-09\", \"timestamp\": \"%s\", \"threat_level_id\": \"2\", \"analysis\": \"2\","
                + " \"Orgc\": {\"name\": \"dragnet sample intel\"}, \"Tag\": [{\"name\": \"tlp:white\"}]}";
        return ("{" + entry.formatted(firstUuid, "Trickbot infection", firstTimestamp) + ", " + entry.formatted(secondUuid, "test event", secondTimestamp) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private long eventRequests(String uuid)
    {
        return requests.stream().filter(request -> request.get(":path").equals("/osint/" + uuid + ".json")).count();
    }

    @Test
    void feedsFileProblemsArePositioned()
    {
        String yaml = """
                version: 1
                feeds:
                  feodo:
                    url: ftp://example.org/x.csv
                    format: xml
                    refresh: soon
                  Bad Name:
                    url: https://example.org/y
                    format: csv
                    colour: red
                """;
        assertThatThrownBy(() -> FeedsFile.parse("feeds.yaml", yaml))
                .hasMessageContaining("feeds.yaml:4:10: feed feodo: url is not an http:// or https:// URL")
                .hasMessageContaining("feeds.yaml:5:13: feed feodo: format 'xml'; expected one of [csv, text, stix, taxii, misp-manifest]")
                .hasMessageContaining("feeds.yaml:6:14: feed feodo: refresh 'soon'")
                .hasMessageContaining("feeds.yaml:7:3: feed name 'Bad Name' is not allowed")
                .hasMessageContaining("feeds.yaml:10:5: unknown key 'colour' in feed Bad Name");
        List<Feed> feeds = FeedsFile.parse("feeds.yaml", "version: 1\nfeeds:\n  feodo:\n    url: https://feodotracker.abuse.ch/downloads/ipblocklist.csv\n    format: csv\n    refresh: 1h\n");
        assertThat(feeds).singleElement().satisfies(feed -> {
            assertThat(feed.refresh()).isEqualTo(Duration.ofHours(1));
            assertThat(feed.format()).isEqualTo(FeedFormat.CSV);
        });
    }

    private Compilation compile(RuleCompiler compiler, Path rules, Path feedsFolder, LocalDate day)
    {
        return compiler.compile(compiler.load(rules.toString()), new CompileContext(day, "run-" + day, "file:///lake", temp.resolve("work").toUri().toString(),
                "file:///results", "file:///enrichment", List.of(feedsFolder.toUri().toString())));
    }

    private List<Path> snapshotFiles()
            throws IOException
    {
        try (var files = Files.walk(temp.resolve("feeds/snapshots"))) {
            return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals("state.json")).toList();
        }
    }
}
