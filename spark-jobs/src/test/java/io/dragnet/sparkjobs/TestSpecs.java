package io.dragnet.sparkjobs;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.IocTableFile;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import io.dragnet.publish.PublishedRunFiles;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.RepositoryPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Job specs as the rule compiler would write them, for tests. */
final class TestSpecs
{
    static final String DATE = "2018-11-02";
    static final String RUN = "run-0001";

    /** The ECS-style names every Zeek log's connection fields have in the built-in sources' mappings. */
    private static final Map<String, String> ZEEK_CONNECTION_MAPPING = Map.of(
            "@timestamp", "ts", "event.id", "uid", "source.ip", "id.orig_h", "source.port", "id.orig_p", "destination.ip", "id.resp_h", "destination.port", "id.resp_p");
    /** Each hand-built source's further ECS-style names, as its declaration maps them. */
    private static final Map<String, Map<String, String>> LOG_MAPPINGS = Map.of(
            "zeek_conn", Map.of("network.transport", "proto", "network.protocol", "service"),
            "zeek_dns", Map.of("network.transport", "proto", "dns.question.name", "query"),
            "zeek_http", Map.of("url.domain", "host", "url.original", "uri", "http.request.method", "method", "http.response.status_code", "status_code",
                    "user_agent.original", "user_agent"),
            "zeek_ssl", Map.of("tls.server.name", "server_name"));
    /** The nids_verdicts source's ECS-style names. */
    static final Map<String, String> VERDICT_MAPPING = Map.of(
            "@timestamp", "start_time", "event.id", "session_id", "source.ip", "src_ip", "source.port", "src_port", "destination.ip", "dst_ip",
            "destination.port", "dst_port", "network.transport", "proto", "nids.score", "score", "nids.predicted_malicious", "predicted_malicious",
            "nids.attack_category", "attack_category");

    private TestSpecs() {}

    /** The mapping a Zeek log source ({@code zeek_conn}, {@code zeek_dns}, {@code zeek_http}, {@code zeek_ssl}) declares. */
    static Map<String, String> zeekMapping(String source)
    {
        Map<String, String> mapping = new java.util.LinkedHashMap<>(ZEEK_CONNECTION_MAPPING);
        mapping.putAll(LOG_MAPPINGS.get(source));
        return mapping;
    }

    /** A Zeek log source as declared, with the fields of each file's header. */
    static JobSpec.SourceSpec zeekSource(String source, String format, Path day)
    {
        return new JobSpec.SourceSpec(source, format, day.toUri().toString(), "ts", List.of(), zeekMapping(source));
    }

    static JobSpec.Outputs outputs(Path results, String source, String prefix)
    {
        return new JobSpec.Outputs(prefix,
                results.resolve("summaries/dt=" + DATE + "/run=" + RUN).toUri().toString(),
                results.resolve("runs/dt=" + DATE + "/run=" + RUN + "/" + source + ".metrics.json").toUri().toString(),
                results.resolve("rejects/dt=" + DATE + "/run=" + RUN + "/" + source).toUri().toString(),
                results.resolve(documents(DATE, RUN, source)).toUri().toString());
    }

    /** Where a run's documents of a source and day are, relative to the results folder. */
    static String documents(String date, String run, String source)
    {
        return "documents/dt=" + date + "/run=" + run + "/" + source;
    }

    /** Records {@code run} as the day's published run under {@code results}, as Publish does. */
    static void publish(Path results, String date, String run)
    {
        new PublishedRunFiles(new LocalObjectStore(), results.toUri().toString()).publish(java.time.LocalDate.parse(date), run);
    }

    /** The spec as run {@code run} of {@code date} would run it: the same rules, that day's and run's outputs under {@code results}. */
    static JobSpec asRun(JobSpec spec, Path results, String date, String run)
    {
        String source = spec.source().name();
        JobSpec.Outputs outputs = new JobSpec.Outputs(spec.outputs().opensearchIndexPrefix(),
                results.resolve("summaries/dt=" + date + "/run=" + run).toUri().toString(),
                results.resolve("runs/dt=" + date + "/run=" + run + "/" + source + ".metrics.json").toUri().toString(),
                results.resolve("rejects/dt=" + date + "/run=" + run + "/" + source).toUri().toString(),
                results.resolve(documents(date, run, source)).toUri().toString());
        return new JobSpec(spec.specVersion(), run, date, spec.source(), spec.rules(), spec.iocTables(), spec.enrichmentData(), outputs);
    }

    static Map<String, String> enrichment(Path results, Path lake)
    {
        Path enrichment = RepositoryPaths.samples().resolve("enrichment");
        return Map.of(
                "asset_inventory", enrichment.resolve("assets.csv").toUri().toString(),
                "geo_city_blocks", enrichment.resolve("GeoLite2-City-Blocks-IPv4.csv").toUri().toString(),
                "geo_city_locations", enrichment.resolve("GeoLite2-City-Locations-en.csv").toUri().toString(),
                "geo_asn", enrichment.resolve("GeoLite2-ASN-Blocks-IPv4.csv").toUri().toString(),
                "verdicts", lake.resolve("nids_verdicts/dt=" + DATE).toUri().toString(),
                "history", results.resolve("documents").toUri().toString(),
                "published", results.resolve("published").toUri().toString());
    }

    static Path writeIocs(Path directory, String name, String... values)
    {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(name + ".csv");
            Files.write(file, IocTableFile.write(java.util.Arrays.stream(values).map(value -> new IocEntry(value, "test-feed", 80.0, "2018-10-01", "test")).toList()));
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a Zeek log into the lake layout, gzipped when asked, and returns the day directory. */
    static Path lakeDay(Path lake, String source, Path log, boolean gzip)
    {
        try {
            Path day = Files.createDirectories(lake.resolve(source).resolve("dt=" + DATE));
            if (gzip) {
                try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(day.resolve(log.getFileName() + ".gz")))) {
                    Files.copy(log, out);
                }
            }
            else {
                Files.copy(log, day.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return day;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JobSpec.RuleSpec rule(String id, String topic, Predicate predicate, List<String> enrich)
    {
        return new JobSpec.RuleSpec(id, "title of " + id, topic, "high", List.of("attack.command_and_control"), predicate, null, enrich, List.of(), List.of());
    }

    static Predicate field(String field, String operator, String... values)
    {
        return new Predicate.FieldMatch(field, operator, List.of(values), false, false);
    }

    /** zeek_conn of samples/zeek (or another directory holding conn.log) with C2 rules over ports, CIDRs and an IP IoC table. */
    static JobSpec conn(Path zeekDirectory, Path results, Path lake, Path work, String prefix)
    {
        Path iocs = writeIocs(work.resolve("iocs"), "c2-ips", "76.181.182.166", "203.0.113.9");
        Path cidrs = writeIocs(work.resolve("iocs"), "c2-nets", "199.227.126.0/24", "10.99.0.0/16", "2001:db8::/32");
        return new JobSpec(JobSpec.CURRENT_VERSION, RUN, DATE, zeekSource("zeek_conn", "zeek_tsv", zeekDirectory),
                List.of(
                        rule("trickbot-449", "c2", field("id.resp_p", "equals", "449"), List.of("asset_owner", "geo", "first_last_seen", "nids_verdict")),
                        rule("c2-ip-feed", "c2", new Predicate.IocMatch(List.of("id.resp_h", "id.orig_h"), "c2-ips"), List.of("ioc_metadata")),
                        rule("c2-net-feed", "c2", new Predicate.IocMatch(List.of("id.resp_h"), "c2-nets"), List.of("ioc_metadata")),
                        rule("dc-kerberos", "nids", new Predicate.And(List.of(field("id.resp_h", "cidr", "172.16.9.5/32"), field("service", "startswith", "KRB"))), List.of())),
                List.of(new JobSpec.IocTable("c2-ips", "ip", iocs.toUri().toString(), 2), new JobSpec.IocTable("c2-nets", "cidr", cidrs.toUri().toString(), 2)),
                enrichment(results, lake),
                outputs(results, "zeek_conn", prefix));
    }
}
