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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dragnet rules try} runs correlation rules after each day's jobs, over their hits, and a later day of the try
 * reads the earlier day's hits as its previous day's: a lookup of an address echo service at 23:55 followed by an
 * NXDOMAIN answer at 00:03 is one hit of the second day (a lookup at 08:00 followed half an hour later is none).
 */
@Tag("integration")
class TestRulesTryCorrelations
{
    private static final String RULES = """
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

    @TempDir
    Path temp;

    @Test
    void correlationsRunAfterEachDayAndReadTheTrysPreviousDay()
            throws IOException
    {
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Files.writeString(logs.resolve("dns.log"), String.join("\n",
                lookup("2018-11-01T23:55:00Z", "L1", "10.0.0.1", "checkip.example", "NOERROR"),
                lookup("2018-11-02T00:03:00Z", "L2", "10.0.0.1", "qx7kd2.example", "NXDOMAIN"),
                lookup("2018-11-02T08:00:00Z", "L3", "10.0.0.2", "checkip.example", "NOERROR"),
                lookup("2018-11-02T08:30:00Z", "L4", "10.0.0.2", "zz81kq.example", "NXDOMAIN")) + "\n");
        new ZeekLakeImporter(Map.of()).importLogs(logs, home.lake(), ZeekLakeImporter.Selection.ALL);
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve("rules.yaml"), RULES);

        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"rules", "try", rules.toString(), "--date", "2018-11-01", "--to", "2018-11-02", "--home", home.root().toString(),
                "--enrichment", NodeRuns.REPOSITORY.resolve("samples/enrichment").toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
        String text = out.toString();
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("2018-10-31 has no published run");
        String firstDay = text.substring(text.indexOf("== 2018-11-01"), text.indexOf("== 2018-11-02"));
        String secondDay = text.substring(text.indexOf("== 2018-11-02"));
        assertThat(firstDay).containsPattern("correlations:\n  dns-checkip-then-nxdomain +0 hits  -> published day dragnet-dns-2018.11.01\n");
        assertThat(secondDay).containsPattern("correlations:\n  dns-checkip-then-nxdomain +1 hits  -> published day dragnet-dns-2018.11.02\n"
                        + "      2018-11-01T23:55:00Z \\.\\. 2018-11-02T00:05:00Z \\{\"source.ip\":\"10.0.0.1\"\\} rules=\\[dns-checkip-lookup, dns-nxdomain-answer\\]\n");
    }

    private static String lookup(String time, String uid, String client, String name, String rcode)
    {
        double ts = Instant.parse(time).getEpochSecond();
        return "{\"ts\":" + ts + ",\"uid\":\"" + uid + "\",\"id.orig_h\":\"" + client + "\",\"id.orig_p\":53000,\"id.resp_h\":\"192.0.2.53\",\"id.resp_p\":53,"
                + "\"proto\":\"udp\",\"query\":\"" + name + "\",\"qtype_name\":\"A\",\"rcode\":" + (rcode.equals("NXDOMAIN") ? 3 : 0) + ",\"rcode_name\":\"" + rcode + "\"}";
    }
}
