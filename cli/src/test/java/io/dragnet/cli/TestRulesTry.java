package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dragnet rules try} over a lake imported from a few log lines: the hits per rule and their sample rows or
 * windows, without publishing anything.
 */
@Tag("integration")
class TestRulesTry
{
    private static final String CORRELATION_RULES = """
            id: dns-checkip-lookup
            title: Lookup of an address echo service
            topic: dns
            owner: tests
            sources: [zeek_dns]
            match:
              echo:
                dns.question.name: checkip.example
              condition: echo
            ---
            id: dns-nxdomain-answer
            title: A name that does not exist
            topic: dns
            owner: tests
            sources: [zeek_dns]
            match:
              nx:
                dns.response_code: NXDOMAIN
              condition: nx
            ---
            id: dns-checkip-then-nxdomain
            title: An echo-service lookup followed by an NXDOMAIN answer
            topic: dns
            owner: tests
            correlation:
              type: temporal_ordered
              rules: [dns-checkip-lookup, dns-nxdomain-answer]
              group-by: [source.ip]
              timespan: 10m
            """;

    private static final String AGGREGATE_RULES = """
            id: conn-few-ports
            title: One source probing several ports of one host
            topic: c2
            owner: tests
            sources: [zeek_conn]
            match:
              attempts:
                conn_state: [S0, REJ]
              condition: attempts
            aggregate:
              group_by: [source.ip, destination.ip]
              window: 1h
              measures:
                ports: count_distinct(destination.port)
                attempts: count
              having: ports >= 3
            """;

    @TempDir
    Path temp;

    /**
     * Correlation rules run after each day's jobs, over their hits, and a later day of the try reads the earlier day's
     * hits as its previous day's: a lookup of an address echo service at 23:55 followed by an NXDOMAIN answer at 00:03
     * is one hit of the second day (a lookup at 08:00 followed half an hour later is none).
     */
    @Test
    void correlationsRunAfterEachDayAndReadTheTrysPreviousDay()
            throws IOException
    {
        String text = tryRules("dns.log", List.of(
                        lookup("2018-11-01T23:55:00Z", "L1", "10.0.0.1", "checkip.example", "NOERROR"),
                        lookup("2018-11-02T00:03:00Z", "L2", "10.0.0.1", "qx7kd2.example", "NXDOMAIN"),
                        lookup("2018-11-02T08:00:00Z", "L3", "10.0.0.2", "checkip.example", "NOERROR"),
                        lookup("2018-11-02T08:30:00Z", "L4", "10.0.0.2", "zz81kq.example", "NXDOMAIN")),
                CORRELATION_RULES, "--date", "2018-11-01", "--to", "2018-11-02");
        assertThat(text).contains("2018-10-31 has no published run");
        String firstDay = text.substring(text.indexOf("== 2018-11-01"), text.indexOf("== 2018-11-02"));
        String secondDay = text.substring(text.indexOf("== 2018-11-02"));
        assertThat(firstDay).containsPattern("correlations:\n  dns-checkip-then-nxdomain +0 hits  -> published day dragnet-dns-2018.11.01\n");
        assertThat(secondDay).containsPattern("correlations:\n  dns-checkip-then-nxdomain +1 hits  -> published day dragnet-dns-2018.11.02\n"
                        + "      2018-11-01T23:55:00Z \\.\\. 2018-11-02T00:05:00Z \\{\"source.ip\":\"10.0.0.1\"\\} rules=\\[dns-checkip-lookup, dns-nxdomain-answer\\]\n");
    }

    /**
     * An aggregate rule's samples are its windows: bounds, group values, measures and sample event ids. One source
     * probes three ports of one host within an hour (four attempts, one port twice) and is a hit, and one more port in
     * the next hour, which is not; another source probes two ports and is not (its third connection was answered).
     */
    @Test
    void aggregateHitsShowTheirWindowsGroupsMeasuresAndSamples()
            throws IOException
    {
        String text = tryRules("conn.log", List.of(
                        attempt("2018-11-02T10:05:00Z", "C4", "10.0.0.1", "192.0.2.10", 22, "S0"),
                        attempt("2018-11-02T10:06:00Z", "C2", "10.0.0.1", "192.0.2.10", 80, "REJ"),
                        attempt("2018-11-02T10:07:00Z", "C3", "10.0.0.1", "192.0.2.10", 443, "S0"),
                        attempt("2018-11-02T10:50:00Z", "C1", "10.0.0.1", "192.0.2.10", 80, "S0"),
                        attempt("2018-11-02T11:10:00Z", "C5", "10.0.0.1", "192.0.2.10", 8080, "S0"),
                        attempt("2018-11-02T10:05:00Z", "C6", "10.0.0.2", "192.0.2.20", 22, "S0"),
                        attempt("2018-11-02T10:06:00Z", "C7", "10.0.0.2", "192.0.2.20", 80, "S0"),
                        attempt("2018-11-02T10:07:00Z", "C8", "10.0.0.2", "192.0.2.20", 443, "SF")),
                AGGREGATE_RULES, "--date", "2018-11-02", "--samples", "2");
        assertThat(text).containsPattern("\n  conn-few-ports +1 hits  -> published day dragnet-c2-2018.11.02\n"
                + "      2018-11-02T10:00:00Z \\.\\. 2018-11-02T11:00:00Z \\{\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"192.0.2.10\"\\} "
                + "\\{\"ports\":3.0,\"attempts\":4.0\\} samples=\\[C1, C2, C3, C4\\]\n");
    }

    /** Imports the lines as one log file of the day folder, tries the rules with the options, and returns what it printed (after checking it exited 0). */
    private String tryRules(String logFile, List<String> lines, String rulesText, String... options)
            throws IOException
    {
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Files.writeString(logs.resolve(logFile), String.join("\n", lines) + "\n");
        new ZeekLakeImporter(Map.of()).importLogs(logs, home.lake(), ZeekLakeImporter.Selection.ALL);
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve("rules.yaml"), rulesText);
        List<String> arguments = new ArrayList<>(List.of("rules", "try", rules.toString(), "--home", home.root().toString(),
                "--enrichment", NodeRuns.REPOSITORY.resolve("samples/enrichment").toString()));
        arguments.addAll(List.of(options));
        StringWriter out = new StringWriter();
        int exit = Main.run(arguments.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(out, true));
        String text = out.toString();
        assertThat(exit).as(text).isZero();
        return text;
    }

    private static String lookup(String time, String uid, String client, String name, String rcode)
    {
        double ts = Instant.parse(time).getEpochSecond();
        return "{\"ts\":" + ts + ",\"uid\":\"" + uid + "\",\"id.orig_h\":\"" + client + "\",\"id.orig_p\":53000,\"id.resp_h\":\"192.0.2.53\",\"id.resp_p\":53,"
                + "\"proto\":\"udp\",\"query\":\"" + name + "\",\"qtype_name\":\"A\",\"rcode\":" + (rcode.equals("NXDOMAIN") ? 3 : 0) + ",\"rcode_name\":\"" + rcode + "\"}";
    }

    private static String attempt(String time, String uid, String source, String destination, int port, String state)
    {
        double ts = Instant.parse(time).getEpochSecond();
        return "{\"ts\":" + ts + ",\"uid\":\"" + uid + "\",\"id.orig_h\":\"" + source + "\",\"id.orig_p\":40000,\"id.resp_h\":\"" + destination
                + "\",\"id.resp_p\":" + port + ",\"proto\":\"tcp\",\"conn_state\":\"" + state + "\",\"orig_bytes\":0,\"resp_bytes\":0,\"orig_pkts\":1,\"resp_pkts\":0}";
    }
}
