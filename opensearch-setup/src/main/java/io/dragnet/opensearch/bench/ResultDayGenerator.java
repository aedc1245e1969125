package io.dragnet.opensearch.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Deterministic output documents of one day of topic c2, shaped like what spark-jobs writes (the ECS fields of
 * {@link io.dragnet.opensearch.DocumentMappings}): {@code @timestamp} spread over the 24 hours, internal source addresses and external destinations
 * drawn from fixed pools with a skew (a few hosts and domains dominate, as in real traffic), DNS and HTTP rules naming
 * a domain, and the {@code _id} as the hex SHA-256 of rule id, source and record key. Document {@code i} depends only
 * on the seed and {@code i}, so batches can be generated independently.
 */
public final class ResultDayGenerator
{
    private static final String[] RULES = {"c2-ip-feed", "c2-domain-feed", "c2-ja3", "c2-beacon-ports", "c2-trickbot-uri", "c2-dga-domains"};
    private static final String[] SEVERITIES = {"high", "critical", "medium", "medium", "high", "low"};
    private static final String[] DATASETS = {"zeek.conn", "zeek.dns", "zeek.ssl", "zeek.conn", "zeek.http", "zeek.dns"};
    private static final String[] OWNERS = {"finance", "engineering", "hr", "it-ops", "sales"};
    private static final String[] COUNTRIES = {"US", "RU", "NL", "DE", "CN", "UA", "RO", "BR"};
    private static final String[] TLDS = {"com", "net", "org", "ru", "info", "top", "xyz", "biz"};

    private final LocalDate day;
    private final long seed;
    private final List<String> sourcePool;
    private final List<String> destinationPool;
    private final List<String> domainPool;

    public ResultDayGenerator(LocalDate day, long seed, int sources, int destinations, int domains)
    {
        this.day = requireNonNull(day, "day is null");
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        this.sourcePool = internalAddresses(random, sources);
        this.destinationPool = externalAddresses(random, destinations);
        this.domainPool = domains(random, domains);
    }

    /** Pools sized like a mid-size network: 5,000 internal hosts, 50,000 external addresses, 20,000 domains. */
    public static ResultDayGenerator standard(LocalDate day)
    {
        return new ResultDayGenerator(day, 20181102L, 5_000, 50_000, 20_000);
    }

    public List<String> sourcePool()
    {
        return sourcePool;
    }

    public List<String> destinationPool()
    {
        return destinationPool;
    }

    public List<String> domainPool()
    {
        return domainPool;
    }

    /** The {@code _id} and the source of document {@code index} (dotted ECS names; OpenSearch expands them to objects). */
    public Document document(long index)
    {
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        int rule = random.nextInt(RULES.length);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Instant timestamp = Instant.ofEpochMilli(dayStart + random.nextLong(86_400_000L));
        String sourceIp = skewed(random, sourcePool);
        String destinationIp = skewed(random, destinationPool);
        String domain = skewed(random, domainPool);
        String eventId = "C" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        String dataset = DATASETS[rule];
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", timestamp.toString());
        source.put("event.dataset", dataset);
        source.put("event.id", eventId);
        source.put("rule.id", RULES[rule]);
        source.put("rule.name", RULES[rule].replace('-', ' '));
        source.put("rule.severity", SEVERITIES[rule]);
        source.put("tags", List.of("c2", "ioc"));
        source.put("dragnet.topic", "c2");
        source.put("dragnet.run_id", "bench");
        source.put("source.ip", sourceIp);
        source.put("source.port", 1024 + random.nextInt(64_000));
        source.put("destination.ip", destinationIp);
        source.put("destination.port", dataset.equals("zeek.dns") ? 53 : random.nextInt(4) == 0 ? 447 : 443);
        source.put("network.transport", dataset.equals("zeek.dns") ? "udp" : "tcp");
        source.put("network.protocol", switch (dataset) {
            case "zeek.dns" -> "dns";
            case "zeek.http" -> "http";
            case "zeek.ssl" -> "ssl";
            default -> "-";
        });
        if (dataset.equals("zeek.dns")) {
            source.put("dns.question.name", domain);
        }
        if (dataset.equals("zeek.http")) {
            source.put("url.domain", domain);
            source.put("url.full", "http://" + domain + "/" + Integer.toHexString(random.nextInt()) + "/5/file/");
            source.put("http.request.method", "GET");
            source.put("http.response.status_code", 200);
        }
        if (dataset.equals("zeek.ssl")) {
            source.put("tls.server.name", domain);
        }
        source.put("threat.indicator.type", dataset.equals("zeek.dns") || dataset.equals("zeek.http") ? "domain-name" : "ipv4-addr");
        source.put("threat.indicator.value", dataset.equals("zeek.dns") || dataset.equals("zeek.http") ? domain : destinationIp);
        source.put("threat.indicator.provider", "abuse.ch");
        source.put("asset.owner", OWNERS[Math.floorMod(sourceIp.hashCode(), OWNERS.length)]);
        source.put("asset.criticality", random.nextInt(5) == 0 ? "high" : "medium");
        source.put("destination.geo.country_iso_code", COUNTRIES[Math.floorMod(destinationIp.hashCode(), COUNTRIES.length)]);
        source.put("destination.as.number", 1000 + Math.floorMod(destinationIp.hashCode(), 60_000));
        return new Document(id(RULES[rule], dataset, eventId), source);
    }

    public record Document(String id, Map<String, Object> source)
    {
        public Document
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
        }
    }

    /** Index drawn with a squared-uniform skew: the first tenth of a pool takes about a third of the draws. */
    private static String skewed(SplittableRandom random, List<String> pool)
    {
        double u = random.nextDouble();
        return pool.get((int) (u * u * pool.size()));
    }

    private static List<String> internalAddresses(SplittableRandom random, int count)
    {
        List<String> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(i % 4 == 0 ? "192.168." + (i / 256 % 256) + "." + (1 + i % 254) : "10." + (i / 65_536 % 256) + "." + (i / 254 % 256) + "." + (1 + i % 254));
        }
        return List.copyOf(addresses);
    }

    private static List<String> externalAddresses(SplittableRandom random, int count)
    {
        List<String> addresses = new ArrayList<>(count);
        while (addresses.size() < count) {
            int first = 1 + random.nextInt(223);
            if (first == 10 || first == 127 || first == 172 || first == 192) {
                continue;
            }
            addresses.add(first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
        }
        return List.copyOf(addresses);
    }

    private static List<String> domains(SplittableRandom random, int count)
    {
        List<String> domains = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder label = new StringBuilder();
            int length = 6 + random.nextInt(10);
            for (int c = 0; c < length; c++) {
                label.append((char) ('a' + random.nextInt(26)));
            }
            domains.add((i % 3 == 0 ? "cdn." : "") + label + "." + TLDS[random.nextInt(TLDS.length)]);
        }
        return List.copyOf(domains);
    }

    private static String id(String ruleId, String dataset, String recordKey)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest((ruleId + "\u0000" + dataset + "\u0000" + recordKey).getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
