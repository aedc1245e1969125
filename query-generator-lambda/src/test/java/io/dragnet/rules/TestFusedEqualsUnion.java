package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: for random rules over generated records, the hits of the fused job (all rules in one pass) are exactly
 * the union of the hits of each rule compiled and run alone, through the real Spark backend (spark-jobs) on a local
 * SparkSession. Hits are (rule id, Zeek uid) pairs read back from the documents each job writes.
 */
@Tag("integration")
public class TestFusedEqualsUnion
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final long SEED = 20181102L;
    private static final int RULES = 6;
    private static final int RECORDS = 1_500;
    private static final String[] PROTOS = {"tcp", "udp", "icmp"};
    private static final String[] SERVICES = {"ssl", "http", "dns", "krb_tcp", "-"};
    private static final String[] STATES = {"SF", "S0", "REJ", "RSTR", "OTH"};
    private static final int[] PORTS = {53, 80, 88, 443, 447, 449, 8082, 3389};

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    static Path temp;

    @BeforeAll
    public static void start()
            throws IOException
    {
        writeConnLog(temp.resolve("lake/zeek_conn/dt=" + DAY).resolve("conn.log"), new Random(SEED));
    }

    @Test
    public void fusedHitsEqualTheUnionOfSingleRules()
            throws IOException
    {
        Random random = new Random(SEED + 1);
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            rules.add(randomRule("r" + i, random));
        }
        Set<String> fused = hits("fused", rules);
        Set<String> union = new HashSet<>();
        for (int i = 0; i < RULES; i++) {
            Set<String> alone = hits("alone-" + i, List.of(rules.get(i)));
            String prefix = "r" + i + "|";
            assertThat(alone).allMatch(hit -> hit.startsWith(prefix));
            union.addAll(alone);
        }
        assertThat(union).as("the random rules match something, so the property is not vacuous").hasSizeGreaterThan(RECORDS / 10);
        assertThat(fused).isEqualTo(union);
    }

    private Set<String> hits(String name, List<String> rules)
            throws IOException
    {
        Path folder = temp.resolve(name);
        Path rulesFolder = Files.createDirectories(folder.resolve("rules"));
        Files.writeString(rulesFolder.resolve("rules.yaml"), String.join("---\n", rules));
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(rulesFolder.toString()), new CompileContext(DAY, name,
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(folder.resolve("work").toString()),
                Locations.normalize(folder.resolve("results").toString()), Locations.normalize(folder.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        new JobWriter(new LocalObjectStore()).write(compilation);
        JobSpec spec = compilation.jobs().get(0).spec();
        assertThat(spec.rules()).hasSize(rules.size());
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        Set<String> hits = new HashSet<>();
        for (Row row : SPARK.session().read().parquet(spec.outputs().documents()).select(col("`rule.id`"), col("`event.id`")).collectAsList()) {
            hits.add(row.getString(0) + "|" + row.getString(1));
        }
        return hits;
    }

    private static String randomRule(String id, Random random)
    {
        List<String> selections = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            selections.add("  sel_" + i + ":\n" + randomSelection(random));
        }
        String condition = switch (random.nextInt(4)) {
            case 0 -> "1 of sel_*";
            case 1 -> "all of them";
            case 2 -> count == 1 ? "not sel_0" : "sel_0 and not (" + String.join(" or ", names(1, count)) + ")";
            default -> count == 1 ? "sel_0" : "sel_0 or (" + String.join(" and ", names(1, count)) + ")";
        };
        return "id: " + id + "\ntitle: random rule " + id + "\ntopic: c2\nowner: property-test\nsources: [zeek_conn]\nmatch:\n"
                + String.join("", selections) + "  condition: " + condition + "\n";
    }

    private static List<String> names(int from, int to)
    {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add("sel_" + i);
        }
        return names;
    }

    private static String randomSelection(Random random)
    {
        return switch (random.nextInt(8)) {
            case 0 -> "    destination.port: [" + PORTS[random.nextInt(PORTS.length)] + ", " + PORTS[random.nextInt(PORTS.length)] + "]\n";
            case 1 -> "    source.ip|cidr: 10." + random.nextInt(4) + ".0.0/16\n";
            case 2 -> "    network.transport: " + PROTOS[random.nextInt(PROTOS.length)].toUpperCase() + "\n";
            case 3 -> "    source.bytes|gt: " + random.nextInt(5000) + "\n    destination.bytes|lte: " + random.nextInt(20000) + "\n";
            case 4 -> "    ioc: ip\n    values: [" + address(random) + ", " + address(random) + ", " + address(random) + ", " + address(random) + "]\n";
            case 5 -> "    network.protocol|exists: " + random.nextBoolean() + "\n";
            case 6 -> "    zeek.connection.state: [" + STATES[random.nextInt(STATES.length)] + ", " + STATES[random.nextInt(STATES.length)] + "]\n";
            default -> "    zeek.connection.history|startswith: " + (random.nextBoolean() ? "S" : "Sh") + "\n";
        };
    }

    private static String address(Random random)
    {
        return "10." + random.nextInt(4) + "." + random.nextInt(3) + "." + random.nextInt(8);
    }

    private static void writeConnLog(Path file, Random random)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        StringBuilder log = new StringBuilder();
        log.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t2018-11-02-00-00-00\n");
        log.append("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp"
                + "\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\n");
        log.append("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount"
                + "\tset[string]\tcount\n");
        long start = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        for (int i = 0; i < RECORDS; i++) {
            String history = random.nextBoolean() ? "ShADadFf" : (random.nextBoolean() ? "S" : "Dd");
            log.append(start + random.nextInt(86_400)).append('.').append(String.format("%06d", random.nextInt(1_000_000))).append('\t')
                    .append("C").append(i).append('\t')
                    .append(address(random)).append('\t').append(1024 + random.nextInt(60000)).append('\t')
                    .append(address(random)).append('\t').append(PORTS[random.nextInt(PORTS.length)]).append('\t')
                    .append(PROTOS[random.nextInt(PROTOS.length)]).append('\t')
                    .append(SERVICES[random.nextInt(SERVICES.length)]).append('\t')
                    .append(random.nextInt(100)).append(".5\t")
                    .append(random.nextInt(10) == 0 ? "-" : Integer.toString(random.nextInt(10_000))).append('\t')
                    .append(random.nextInt(40_000)).append('\t')
                    .append(STATES[random.nextInt(STATES.length)]).append("\tT\tF\t0\t")
                    .append(history).append("\t3\t180\t2\t120\t-\t6\n");
        }
        log.append("#close\t2018-11-03-00-00-00\n");
        Files.writeString(file, log.toString());
    }
}
