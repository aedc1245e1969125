package io.dragnet.rules;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.JobSpec;
import io.dragnet.sparkjobs.ExtractionJob;
import io.dragnet.sparkjobs.StageListener;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sliding windows at midnight: a rule with {@code previous_day: read} reports the windows that start on the previous
 * day and end on the run's day from both days' records; the same rule with {@code previous_day: ignore} leaves them
 * out; a missing previous day fails the job with an error naming it. Expected windows are counted here by plain loops
 * over the generated records of both days.
 */
@Tag("integration")
public class TestDayEdges
{
    private static final LocalDate DAY = LocalDate.parse("2018-11-02");
    private static final long MIDNIGHT = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final String RULE = """
            id: RULE_ID
            title: Many connections from one host in an hour
            topic: c2
            owner: tests
            sources: [zeek_conn]
            match:
              connection:
                source.ip|exists: true
              condition: connection
            aggregate:
              group_by: [source.ip]
              window: {size: 1h, slide: 10m}
              measures:
                connections: count
              having: connections >= 30
              previous_day: PREVIOUS
            """;

    private record Conn(long ts, String source) {}

    private static final List<Conn> CONNS = new ArrayList<>();

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    static Path temp;

    @BeforeAll
    public static void generate()
            throws IOException
    {
        Random random = new Random(2018_11_02L);
        for (int i = 0; i < 2_000; i++) {
            CONNS.add(new Conn(MIDNIGHT - 86_400 + random.nextInt(2 * 86_400), "10.1.0." + random.nextInt(100)));
        }
        // 40 connections in the last 20 minutes of the previous day: only windows across midnight see them with the day's
        for (int i = 0; i < 40; i++) {
            CONNS.add(new Conn(MIDNIGHT - 1_200 + random.nextInt(1_200), "10.5.5.5"));
        }
        // 20 before and 20 after midnight: 40 only in windows that cross it
        for (int i = 0; i < 20; i++) {
            CONNS.add(new Conn(MIDNIGHT - 600 + random.nextInt(600), "10.6.6.6"));
            CONNS.add(new Conn(MIDNIGHT + random.nextInt(600), "10.6.6.6"));
        }
        writeConnLog(DAY.minusDays(1));
        writeConnLog(DAY);
        Path rules = Files.createDirectories(temp.resolve("rules"));
        Files.writeString(rules.resolve("read.yaml"), RULE.replace("RULE_ID", "burst-read").replace("PREVIOUS", "read"));
        Files.writeString(rules.resolve("ignore.yaml"), RULE.replace("RULE_ID", "burst-ignore").replace("PREVIOUS", "ignore"));
    }

    @Test
    public void windowsAcrossMidnightReadThePreviousDaysTailOrAreLeftOut()
    {
        JobSpec spec = compile(DAY);
        new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec);
        Map<String, Set<String>> actual = new TreeMap<>();
        for (Row row : SPARK.session().read().parquet(spec.outputs().aggregates()).select(col("`rule.id`"), col("`dragnet.entity`"), col("`@timestamp`")).collectAsList()) {
            actual.computeIfAbsent(row.getString(0), rule -> new TreeSet<>()).add(row.getString(1) + "|" + row.getTimestamp(2).toInstant().getEpochSecond());
        }
        Set<String> reading = expected(true);
        Set<String> ignoring = expected(false);
        assertThat(reading).contains("10.5.5.5|" + (MIDNIGHT - 1_800), "10.6.6.6|" + (MIDNIGHT - 600)).doesNotContain("10.6.6.6|" + MIDNIGHT);
        assertThat(ignoring).noneMatch(hit -> hit.startsWith("10.5.5.5|") || hit.startsWith("10.6.6.6|"));
        Map<String, Set<String>> expected = new TreeMap<>();
        expected.put("burst-read", reading);
        if (!ignoring.isEmpty()) {
            expected.put("burst-ignore", ignoring);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    public void aMissingPreviousDayFailsTheJobNamingIt()
    {
        JobSpec spec = compile(DAY.minusDays(1));
        assertThatThrownBy(() -> new ExtractionJob(null, StageListener.NONE).execute(SPARK.session(), spec))
                .isInstanceOf(DragnetException.class)
                .hasMessage("source zeek_conn has no data for the day before 2018-11-01 at " + Locations.normalize(temp.resolve("lake").toString())
                        + "/zeek_conn/dt=2018-10-31, which rules [burst-read] read for their sliding windows that start before the day; expected that partition "
                        + "(import or replay the previous day first), or 'previous_day: ignore' in those rules to leave such windows out");
    }

    /** (source | window start) of the 1 h windows sliding by 10 min that end within the day and hold >= 30 records. */
    private static Set<String> expected(boolean readsPreviousDay)
    {
        Set<String> hits = new TreeSet<>();
        Set<String> sources = new TreeSet<>();
        CONNS.forEach(conn -> sources.add(conn.source()));
        for (long start = MIDNIGHT - 3_000; start < MIDNIGHT + 86_400 - 3_000; start += 600) {
            if (start < MIDNIGHT && !readsPreviousDay) {
                continue;
            }
            for (String source : sources) {
                long from = start;
                long count = CONNS.stream().filter(conn -> conn.source().equals(source) && conn.ts() >= from && conn.ts() < from + 3_600).count();
                if (count >= 30) {
                    hits.add(source + "|" + start);
                }
            }
        }
        return hits;
    }

    private static JobSpec compile(LocalDate day)
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(temp.resolve("rules").toString()), new CompileContext(day, "run-" + day,
                Locations.normalize(temp.resolve("lake").toString()), Locations.normalize(temp.resolve("work").toString()),
                Locations.normalize(temp.resolve("results").toString()), Locations.normalize(temp.resolve("enrichment").toString())));
        assertThat(compilation.problems()).isEmpty();
        return compilation.jobs().get(0).spec();
    }

    private static void writeConnLog(LocalDate day)
            throws IOException
    {
        long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        StringBuilder log = new StringBuilder("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\n");
        int uid = 0;
        for (Conn conn : CONNS) {
            if (conn.ts() >= start && conn.ts() < start + 86_400) {
                log.append(conn.ts()).append(".000000\tC").append(day).append('-').append(uid++).append('\t').append(conn.source()).append("\t40000\t10.0.0.1\t80\ttcp\n");
            }
        }
        Path file = temp.resolve("lake/zeek_conn/dt=" + day).resolve("conn.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, log.toString());
    }
}
