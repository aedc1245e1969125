package io.dragnet.sharing.alert;

import io.dragnet.anonymization.SharingKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.sharing.SharingPolicy;
import io.dragnet.sharing.SharingPolicyParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Alerts delivered to a real HTTP server on 127.0.0.1 (the webhook) and to SNS's recorded Publish answer; channels
 * subscribed by the rules' own {@code notify:} key, read from rule files by the rule compiler.
 */
class TestNotifier
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");

    @TempDir
    Path folder;

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresBeforeSuccess = new AtomicInteger();
    private final List<Duration> pauses = new ArrayList<>();
    private final SharingKeys keys = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @BeforeEach
    void start()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = failuresBeforeSuccess.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            received.add("SNS " + URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] body = ("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId>"
                    + "</PublishResult><ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
    }

    @Test
    void postsOnlyWhatIsNewAnonymizedAndRetriesAFailedDelivery()
            throws Exception
    {
        failuresBeforeSuccess.set(1);
        List<DeliveryLog.Delivery> deliveries = notifier(policy("soc-hook"), subscriptions(policy("soc-hook"))).notify(DAY);

        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.status()).isEqualTo("delivered");
            assertThat(delivery.attempts()).isEqualTo(2);
            assertThat(delivery.newHits()).isEqualTo(2);
        });
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        assertThat(received).hasSize(2);
        String text = (String) new ObjectMapper().readValue(received.get(1), Map.class).get("text");
        assertThat(text).startsWith("dragnet: 2 new hits on 2018-11-02 (TLP:AMBER)")
                .contains("c2-feodo", "203.0.113.50", "198.51.100.7", "http://dashboards.example:5601/app/discover#/")
                .doesNotContain("203.0.113.9", "10.1.2.3", "10.1.2.4", "c2-secret");
        assertThat(new DeliveryLog(new ObjectFolder(new LocalObjectStore(), folder.resolve("deliveries").toString())).read()).extracting(DeliveryLog.Delivery::status).containsExactly("delivered");
    }

    @Test
    void aChannelThatKeepsFailingIsRecordedAndNeverThrows()
    {
        failuresBeforeSuccess.set(100);
        List<DeliveryLog.Delivery> deliveries = notifier(policy("soc-hook"), subscriptions(policy("soc-hook"))).notify(DAY);
        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.status()).isEqualTo("failed");
            assertThat(delivery.attempts()).isEqualTo(3);
            assertThat(delivery.error()).isEqualTo("webhook answered HTTP 500");
        });
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(4));
    }

    @Test
    void nothingNewSendsNothing()
    {
        Notifier notifier = new Notifier(policy("soc-hook"), subscriptions(policy("soc-hook")), keys, (topics, from, to) -> yesterday(), Map.of("webhook", webhook()), pauses::add,
                new DeliveryLog(new ObjectFolder(new LocalObjectStore(), folder.resolve("deliveries").toString())), Clock.fixed(Instant.parse("2018-11-03T06:00:00Z"), ZoneOffset.UTC));
        assertThat(notifier.notify(DAY)).extracting(DeliveryLog.Delivery::status).containsExactly("nothing_new");
        assertThat(received).isEmpty();
    }

    @Test
    void publishesToSnsThroughTheRealClient()
    {
        SharingPolicy policy = SharingPolicyParser.parse("""
                version: 1
                internal_networks: [10.0.0.0/8]
                recipients:
                  soc: {topics: [c2], max_tlp: amber}
                channels:
                  soc-sns: {sns_topic_arn: "arn:aws:sns:eu-west-1:123456789012:dragnet-alerts", recipient: soc, rules: ["*"]}
                """, "sharing.yaml");
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))).build()) {
            Notifier notifier = new Notifier(policy, RuleSubscriptions.NONE, keys, this::hits, Map.of("sns", new SnsSender(sns)), pauses::add,
                    new DeliveryLog(new ObjectFolder(new LocalObjectStore(), folder.resolve("deliveries").toString())), Clock.systemUTC());
            assertThat(notifier.notify(DAY)).singleElement().satisfies(delivery -> assertThat(delivery.status()).as(String.valueOf(delivery.error())).isEqualTo("delivered"));
        }
        assertThat(received).singleElement().asString()
                .contains("Action=Publish", "TopicArn=arn:aws:sns:eu-west-1:123456789012:dragnet-alerts", "Subject=dragnet: 2 new hits on 2018-11-02");
    }

    @Test
    void aChannelHearsOnlyOfTheRulesThatNameItOrThatItsGlobsMatch()
            throws Exception
    {
        SharingPolicy unsubscribed = policy("soc-hook");
        assertThat(notifier(unsubscribed, RuleSubscriptions.NONE).notify(DAY)).extracting(DeliveryLog.Delivery::status).containsExactly("nothing_new");
        assertThat(received).isEmpty();

        SharingPolicy byGlob = SharingPolicyParser.parse(policyText("soc-hook").replace("recipient: soc\n", "recipient: soc\n    rules: [\"c2-f*\"]\n"), "sharing.yaml");
        assertThat(notifier(byGlob, RuleSubscriptions.NONE).notify(DAY)).extracting(DeliveryLog.Delivery::newHits).containsExactly(2);
    }

    @Test
    void aRuleNamingAChannelThePolicyLacksIsReportedAtItsPosition()
            throws IOException
    {
        Path rules = rulesFolder("soc-hok");
        assertThatThrownBy(() -> RuleSubscriptions.of(new RuleCompiler(new LocalObjectStore()).load(rules.toString()), policy("soc-hook")))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("c2-feodo.yaml:9:19: rule c2-feodo: unknown channel 'soc-hok'; expected one of the sharing policy's channels [soc-hook]")
                .hasMessageContaining("did you mean 'soc-hook'");
        Path otherTopic = rulesFolder("soc-hook");
        Files.writeString(otherTopic.resolve("c2-feodo.yaml"), Files.readString(otherTopic.resolve("c2-feodo.yaml")).replace("topic: c2", "topic: dns"));
        assertThatThrownBy(() -> RuleSubscriptions.of(new RuleCompiler(new LocalObjectStore()).load(otherTopic.toString()), policy("soc-hook")))
                .hasMessageContaining("c2-feodo.yaml:9:19: rule c2-feodo: channel 'soc-hook' alerts recipient soc, which does not receive topic dns [c2]");
    }

    /** Subscriptions as the daily run reads them: two rule files, only c2-feodo naming the channel. */
    private RuleSubscriptions subscriptions(SharingPolicy policy)
    {
        try {
            RuleSubscriptions subscriptions = RuleSubscriptions.of(new RuleCompiler(new LocalObjectStore()).load(rulesFolder("soc-hook").toString()), policy);
            assertThat(subscriptions.channelsByRule()).containsExactly(Map.entry("c2-feodo", java.util.Set.of("soc-hook")));
            return subscriptions;
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path rulesFolder(String channel)
            throws IOException
    {
        Path rules = Files.createDirectories(folder.resolve("rules-" + channel));
        Files.writeString(rules.resolve("c2-feodo.yaml"), RULE.formatted("c2-feodo", "[%s]".formatted(channel)));
        Files.writeString(rules.resolve("c2-secret.yaml"), RULE.formatted("c2-secret", "[]"));
        return rules;
    }

    private static final String RULE = """
            id: %s
            title: Connections to port 447
            topic: c2
            owner: c2-research@dragnet.example
            sources: [zeek_conn]
            match:
              port: {destination.port: 447}
              condition: port
            notify:          %s
            """;

    private Notifier notifier(SharingPolicy policy, RuleSubscriptions subscriptions)
    {
        return new Notifier(policy, subscriptions, keys, this::hits, Map.of("webhook", webhook()), pauses::add,
                new DeliveryLog(new ObjectFolder(new LocalObjectStore(), folder.resolve("deliveries").toString())), Clock.fixed(Instant.parse("2018-11-03T06:00:00Z"), ZoneOffset.UTC));
    }

    private static WebhookSender webhook()
    {
        return new WebhookSender(HttpClient.newHttpClient(), Duration.ofSeconds(5));
    }

    private SharingPolicy policy(String channel)
    {
        return SharingPolicyParser.parse(policyText(channel), "sharing.yaml");
    }

    private String policyText(String channel)
    {
        return """
                version: 1
                internal_networks: [10.0.0.0/8]
                recipients:
                  soc: {topics: [c2], max_tlp: amber}
                channels:
                  %s:
                    webhook: http://127.0.0.1:%d/hook
                    recipient: soc
                    dashboards: http://dashboards.example:5601/
                """.formatted(channel, server.getAddress().getPort());
    }

    private List<Map<String, Object>> hits(java.util.Set<String> topics, LocalDate from, LocalDate to)
    {
        return from.equals(DAY) ? today() : yesterday();
    }

    private static List<Map<String, Object>> today()
    {
        return List.of(
                hit("c2-feodo", "10.1.2.3", "203.0.113.9", List.of()),    // seen yesterday too: not new
                hit("c2-feodo", "10.1.2.4", "203.0.113.50", List.of()),   // new
                hit("c2-feodo", "10.1.2.4", "198.51.100.7", List.of()),   // new
                hit("c2-secret", "10.1.2.3", "198.51.100.99", List.of("tlp:red")));  // above the recipient's level
    }

    private static List<Map<String, Object>> yesterday()
    {
        return List.of(hit("c2-feodo", "10.1.2.3", "203.0.113.9", List.of()));
    }

    private static Map<String, Object> hit(String rule, String source, String entity, List<String> tags)
    {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("rule.id", rule);
        hit.put("rule.name", rule + " rule");
        hit.put("tags", tags);
        hit.put("source.ip", source);
        hit.put("destination.ip", entity);
        hit.put("dragnet.entity", entity);
        return hit;
    }
}
