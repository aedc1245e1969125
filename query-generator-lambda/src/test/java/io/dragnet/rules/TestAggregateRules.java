package io.dragnet.rules;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate and correlation rule language: what compiles to what, and every kind of error with its position. */
public class TestAggregateRules
{
    @TempDir
    Path temp;

    private static final String HEADER = "id: scan\ntitle: Scan\ntopic: c2\nowner: tests\nsources: [zeek_conn]\n";
    private static final String MATCH = "match:\n  attempts:\n    conn_state: [S0, REJ]\n  condition: attempts\n";
    private static final String MATCH_UDP = "match:\n  attempts:\n    conn_state: [S0, REJ]\n  udp:\n    proto: udp\n  condition: attempts\n";

    private RuleFolder folder()
    {
        return new RuleFolder(temp);
    }

    private List<String> problems(String aggregate)
    {
        return folder().file("rules/a.yaml", HEADER + MATCH + aggregate).problems();
    }

    private List<String> problemsWithUdp(String aggregate)
    {
        return folder().file("rules/a.yaml", HEADER + MATCH_UDP + aggregate).problems();
    }

    @Test
    public void compilesGroupsMeasuresFiltersAndHaving()
    {
        Compilation compilation = folder().file("rules/a.yaml", HEADER + MATCH_UDP + """
                aggregate:
                  group_by: [source.ip, destination.port]
                  window: 1h
                  measures:
                    hosts: count_distinct(destination.ip)
                    attempts: count
                    udp_share: ratio(count where udp, attempts)
                    p95: percentile(duration, 95)
                  having: hosts >= 100 and udp_share > 0.8
                  samples: 3
                """).compile();
        assertThat(compilation.problems()).isEmpty();
        JobSpec.RuleSpec rule = compilation.jobs().get(0).spec().rules().get(0);
        AggregateSpec aggregate = rule.aggregate();
        assertThat(aggregate.groupBy()).containsExactly("id.orig_h", "id.resp_p");
        assertThat(aggregate.windowSeconds()).isEqualTo(3600);
        assertThat(aggregate.slideSeconds()).isEqualTo(3600);
        assertThat(aggregate.samples()).isEqualTo(3);
        assertThat(aggregate.previousDayLocation()).isNull();
        assertThat(aggregate.measures()).containsExactly(
                new AggregateSpec.MeasureSpec("hosts", "count_distinct", "id.resp_h", null, null, null, false),
                new AggregateSpec.MeasureSpec("attempts", "count", null, null, null, null, false),
                new AggregateSpec.MeasureSpec("_udp_share_3", "count", null, null, new Predicate.FieldMatch("proto", "equals", List.of("udp"), false, false), null, true),
                new AggregateSpec.MeasureSpec("udp_share", "expression", null, null, null,
                        AggregateSpec.Expression.of("divide", AggregateSpec.Expression.measure("_udp_share_3"), AggregateSpec.Expression.measure("attempts")), false),
                new AggregateSpec.MeasureSpec("p95", "percentile", "duration", 95.0, null, null, false));
        assertThat(aggregate.having()).isEqualTo(AggregateSpec.Expression.of("and",
                AggregateSpec.Expression.of("gte", AggregateSpec.Expression.measure("hosts"), AggregateSpec.Expression.number(100)),
                AggregateSpec.Expression.of("gt", AggregateSpec.Expression.measure("udp_share"), AggregateSpec.Expression.number(0.8))));
        assertThat(compilation.jobs().get(0).spec().outputs().aggregates()).isEqualTo("file:///results/aggregates/dt=2018-11-02/run=run-1/zeek_conn");
        assertThat(PlanExplainer.explain(compilation)).contains(
                "  the same pass sends what the aggregate rules need (id.orig_h, id.resp_p, id.resp_h, duration, ts, the event id and one flag per rule and filtered measure) "
                        + "of each record they match, once per shuffle whose rules matched it, into one exchange with the rows it keeps (no projection is written to files): "
                        + "1 shuffle for 1 grouping "
                        + "(groupings that share group fields share a shuffle and one pass over it):\n"
                        + "    shuffle by id.orig_h, id.resp_p and 1h time buckets, sorted by time:\n"
                        + "      id.orig_h, id.resp_p per tumbling 1h window: scan\n",
                "    GROUP BY `id.orig_h`, `id.resp_p` PER tumbling 1h window\n"
                        + "    hosts = count_distinct(`id.resp_h`)\n"
                        + "    attempts = count()\n"
                        + "    (_udp_share_3) = count() WHERE `proto` = 'udp' (case-insensitive)\n"
                        + "    udp_share = _udp_share_3 / attempts\n"
                        + "    p95 = percentile(`duration`, 95)\n"
                        + "    HAVING (hosts >= 100) AND (udp_share > 0.8)\n"
                        + "    keeps 3 sample event ids per hit\n");
    }

    @Test
    public void explainShowsGroupingsThatShareGroupFieldsSharingOneShuffle()
    {
        String vertical = "aggregate:\n  group_by: [source.ip, destination.ip]\n  window: 1h\n  measures:\n    ports: count_distinct(destination.port)\n  having: ports > 5\n";
        String perSource = "aggregate:\n  group_by: [source.ip]\n  window: 6h\n  measures:\n    n: count\n  having: n > 5\n";
        String perPort = "aggregate:\n  group_by: [destination.port]\n  window: 10m\n  measures:\n    n: count\n  having: n > 5\n";
        Compilation compilation = folder()
                .file("rules/a.yaml", HEADER.replace("id: scan", "id: vertical") + MATCH + vertical)
                .file("rules/b.yaml", HEADER.replace("id: scan", "id: talker") + MATCH + perSource)
                .file("rules/c.yaml", HEADER.replace("id: scan", "id: busy-port") + MATCH + perPort)
                .compile();
        assertThat(PlanExplainer.explain(compilation)).contains("written to files): 2 shuffles for 3 groupings (groupings that share group fields share a shuffle and one pass over it):\n"
                + "    shuffle by id.orig_h and 6h time buckets, sorted by time:\n"
                + "      id.orig_h per tumbling 6h window: talker\n"
                + "      id.orig_h, id.resp_h per tumbling 1h window: vertical\n"
                + "    shuffle by id.resp_p and 10m time buckets, sorted by time:\n"
                + "      id.resp_p per tumbling 10m window: busy-port\n");
    }

    @Test
    public void slidingWindowsSayWhatHappensBeforeTheDay()
    {
        String reading = "aggregate:\n  group_by: [source.ip]\n  window: {size: 1h, slide: 10m}\n  measures:\n    n: count\n  having: n > 5\n";
        AggregateSpec readingSpec = folder().file("rules/a.yaml", HEADER + MATCH + reading).compile().jobs().get(0).spec().rules().get(0).aggregate();
        assertThat(readingSpec.previousDayLocation()).isEqualTo("file:///lake/zeek_conn/dt=2018-11-01");
        AggregateSpec ignoring = folder().file("rules/a.yaml", HEADER + MATCH + reading + "  previous_day: ignore\n")
                .compile().jobs().get(0).spec().rules().get(0).aggregate();
        assertThat(ignoring.slideSeconds()).isEqualTo(600);
        assertThat(ignoring.previousDayLocation()).isNull();
    }

    @Test
    public void havingNamesAnUnknownMeasure()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    hosts: count_distinct(destination.ip)\n  having: host >= 100\n"))
                .containsExactly("a.yaml:15:11: rule scan: 'host' is neither a measure of this rule nor a function; expected one of the measures [hosts] or a function of "
                        + "[count, count_distinct, sum, min, max, avg, stddev, percentile, interval_cv, entropy, count_new, history_avg, history_max] or ratio; did you mean 'hosts'?");
    }

    @Test
    public void measureNamesAnUnknownField()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    hosts: count_distinct(destination.iq)\n  having: hosts >= 100\n"))
                .containsExactly("a.yaml:14:12: rule scan: source zeek_conn has no field 'destination.iq'; expected a field of zeek_conn or an ECS name mapped to one; did you mean 'destination.ip'?");
    }

    @Test
    public void groupByNamesAnUnknownField()
    {
        assertThat(problems("aggregate:\n  group_by: [source.iq]\n  window: 1h\n  measures:\n    n: count\n  having: n >= 100\n"))
                .containsExactly("a.yaml:11:14: rule scan: source zeek_conn has no field 'source.iq'; expected a field of zeek_conn or an ECS name mapped to one; did you mean 'source.ip'?");
    }

    @Test
    public void sumOverAStringIsRefused()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    total: sum(conn_state)\n  having: total > 1\n"))
                .containsExactly("a.yaml:14:12: rule scan: sum(conn_state) needs a number field; 'conn_state' is string in source zeek_conn; expected a long or double field "
                        + "(count_distinct counts values of any type)");
    }

    @Test
    public void windowLongerThanTheDayARunReads()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 2d\n  measures:\n    n: count\n  having: n > 1\n"))
                .containsExactly("a.yaml:12:11: rule scan: window 2d is longer than the one day of data a run reads; expected at most 1d");
    }

    @Test
    public void windowThatDoesNotDivideTheDay()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 7h\n  measures:\n    n: count\n  having: n > 1\n"))
                .containsExactly("a.yaml:12:11: rule scan: window 7h does not divide the day; expected a size that does (e.g. 5m, 10m, 15m, 1h, 2h, 6h, 1d) so windows align to midnight UTC");
    }

    @Test
    public void badDurationAndSlide()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: {size: 1h, slide: 7m}\n  measures:\n    n: count\n  having: n > 1\n"))
                .containsExactly("a.yaml:12:11: rule scan: window slide 7m must divide both the size 1h and the day; expected e.g. {size: 1h, slide: 10m}");
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 5 minutes\n  measures:\n    n: count\n  having: n > 1\n"))
                .containsExactly("a.yaml:12:11: rule scan: window '5 minutes' is not a duration; expected a whole number and a unit s, m, h or d, e.g. 5m");
    }

    @Test
    public void havingMustBeACondition()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n  having: n * 2\n"))
                .containsExactly("a.yaml:15:13: rule scan: having is a number; expected a condition such as 'hosts >= 100'");
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count > 3\n  having: n > 1\n"))
                .containsExactly("a.yaml:14:14: rule scan: measure 'n' is a condition; expected a number such as 'count_distinct(destination.ip)' (conditions go in 'having')");
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n  having: n and n > 1\n"))
                .containsExactly("a.yaml:15:13: rule scan: 'and' in having needs conditions on both sides; found a number and a condition");
    }

    @Test
    public void measureArgumentsAreChecked()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    p: percentile(duration, 150)\n  having: p > 1\n"))
                .containsExactly("a.yaml:14:8: rule scan: percentile 150.0 is out of range; expected a number above 0 and at most 100");
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    p: sum\n  having: p > 1\n"))
                .containsExactly("a.yaml:14:8: rule scan: sum needs one field, e.g. sum(destination.ip)");
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    p: count_distinkt(destination.ip)\n  having: p > 1\n"))
                .containsExactly("a.yaml:14:8: rule scan: 'count_distinkt' is neither a measure of this rule nor a function; expected one of the measures [] or a function of "
                        + "[count, count_distinct, sum, min, max, avg, stddev, percentile, interval_cv, entropy, count_new, history_avg, history_max] or ratio; did you mean 'count_distinct'?");
    }

    @Test
    public void whereNamesASelectionAndCountsAsUsingIt()
    {
        assertThat(problemsWithUdp("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    u: count where upd\n  having: u > 1\n"))
                .containsExactly("a.yaml:16:20: rule scan: condition refers to 'upd', which is not a selection; expected one of [attempts, udp]; did you mean 'udp'?");
        assertThat(problemsWithUdp("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count\n  having: n > 1\n"))
                .containsExactly("a.yaml:9:3: rule scan: selection 'udp' is not used by the condition; expected every selection to be referenced (remove it or use it)");
    }

    @Test
    public void historyIsDeclaredWhenUsed()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    bytes: sum(source.bytes)\n    usual: history_max(bytes)\n  having: bytes > 3 * usual\n"))
                .containsExactly("a.yaml:11:3: rule scan: the measures look at earlier days (count_new, history_avg, history_max) but 'aggregate' has no 'history'; expected e.g. 'history: 14d'");
    }

    @Test
    public void historyMeasuresCompileWithTheirHistoryRoot()
    {
        Compilation compilation = folder().file("rules/a.yaml", HEADER + MATCH + """
                aggregate:
                  group_by: [source.ip]
                  window: 1h
                  measures:
                    bytes: sum(source.bytes)
                    usual: history_avg(bytes)
                    peak: history_max(bytes)
                    new_peers: count_new(destination.ip)
                  having: bytes > 10 * usual and new_peers > 0
                  history: 14d
                """).compile();
        assertThat(compilation.problems()).isEmpty();
        JobSpec spec = compilation.jobs().get(0).spec();
        AggregateSpec aggregate = spec.rules().get(0).aggregate();
        assertThat(aggregate.historyDays()).isEqualTo(14);
        assertThat(aggregate.measures()).contains(
                new AggregateSpec.MeasureSpec("usual", "history_avg", "bytes", null, null, null, false),
                new AggregateSpec.MeasureSpec("peak", "history_max", "bytes", null, null, null, false),
                new AggregateSpec.MeasureSpec("new_peers", "count_new", "id.resp_h", null, null, null, false));
        assertThat(spec.enrichmentData()).containsEntry(JobSpec.AGGREGATE_HISTORY, "file:///results/aggregate-history");
    }

    @Test
    public void historyMeasuresLookBackOnADayMeasure()
    {
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    bytes: sum(source.bytes)\n    usual: history_max(bytes)\n"
                + "    usual_usual: history_avg(usual)\n  having: bytes > usual_usual\n  history: 7d\n"))
                .containsExactly("a.yaml:16:18: rule scan: history_avg(usual): 'usual' is itself a history measure; expected a measure over the day's records");
    }

    @Test
    public void entropyIsAModifierOfTextFieldsAndAMeasure()
    {
        String dns = "id: dga\ntitle: D\ntopic: dns\nowner: tests\nsources: [zeek_dns]\n";
        Compilation compilation = folder().file("rules/a.yaml", dns + """
                match:
                  queries:
                    dns.question.name|exists: true
                  random:
                    dns.question.name|entropy|gte: 3.5
                  condition: queries
                aggregate:
                  group_by: [source.ip]
                  window: 10m
                  measures:
                    random_new: count_new(dns.question.name) where random
                    mean_entropy: entropy(dns.question.name)
                  having: random_new >= 20 and mean_entropy > 3
                  history: 7d
                """).compile();
        assertThat(compilation.problems()).isEmpty();
        AggregateSpec aggregate = compilation.jobs().get(0).spec().rules().get(0).aggregate();
        assertThat(aggregate.measures()).containsExactly(
                new AggregateSpec.MeasureSpec("random_new", "count_new", "query", null, new Predicate.FieldMatch("query", "entropy_gte", List.of("3.5"), false, false), null, false),
                new AggregateSpec.MeasureSpec("mean_entropy", "entropy", "query", null, null, null, false));
        assertThat(PlanExplainer.explain(compilation)).contains("random_new = count_new(`query`) WHERE ENTROPY(`query`) >= 3.5");

        assertThat(folder().file("rules/a.yaml", dns + "match:\n  q:\n    dns.question.name|entropy: 3.5\n  condition: q\n").problems())
                .containsExactly("a.yaml:8:5: rule dga: modifier 'entropy' on field 'dns.question.name' compares the value's character entropy (bits per character) with a number; "
                        + "expected it with one of gt, gte, lt, lte and nothing else, e.g. 'dns.question.name|entropy|gte: 3.5'");
        assertThat(folder().file("rules/a.yaml", dns + "match:\n  q:\n    dns.question.name|entropy|gt: high\n  condition: q\n").problems())
                .containsExactly("a.yaml:8:35: rule dga: field 'dns.question.name' (in zeek_dns, string) entropy: found string 'high'; expected a number");
        assertThat(folder().file("rules/a.yaml", dns + "match:\n  q:\n    dns.question.type|entropy|gt: 1\n  condition: q\n").problems()).isEmpty();
        assertThat(problems("aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    e: entropy(source.bytes)\n  having: e > 1\n"))
                .containsExactly("a.yaml:14:8: rule scan: entropy(source.bytes) measures the characters of a text value; 'source.bytes' is long in source zeek_conn; expected a string field");
    }

    @Test
    public void aggregateRulesReadOneSourceAndTakeNoEnrichment()
    {
        assertThat(folder().file("rules/a.yaml", HEADER.replace("[zeek_conn]", "[zeek_conn, zeek_dns]") + MATCH_UDP.replace("conn_state: [S0, REJ]", "uid|exists: true")
                + "aggregate:\n  group_by: [source.ip]\n  window: 1h\n  measures:\n    n: count where udp\n  having: n > 1\nenrich: [geo]\n").problems())
                .contains("a.yaml:5:10: rule scan: an aggregate rule reads one source; found 2 [zeek_conn, zeek_dns]; expected one (write one rule per source, or a correlation over them)",
                        "a.yaml:18:1: rule scan: 'enrich' applies to record rules; an aggregate rule's hits carry its group, window, measures and sample event ids; expected no 'enrich'");
    }

    private static final String CORRELATION_HEADER = "id: verdict-then-burst\ntitle: Verdict then DNS burst\ntopic: c2\nowner: tests\n";
    private static final String VERDICT_RULE = "id: malicious-verdict\ntitle: V\ntopic: nids\nowner: tests\nsources: [nids_verdicts]\nmatch:\n  sel:\n    verdict: {malicious: true}\n  condition: sel\n";
    private static final String BURST_RULE = "id: dns-burst\ntitle: B\ntopic: dns\nowner: tests\nsources: [zeek_dns]\nmatch:\n  nx:\n    rcode_name: NXDOMAIN\n  condition: nx\n"
            + "aggregate:\n  group_by: [source.ip]\n  window: 5m\n  measures:\n    n: count\n  having: n >= 20\n";

    @Test
    public void correlationOverOtherRulesHits()
    {
        Compilation compilation = folder().file("rules/v.yaml", VERDICT_RULE).file("rules/b.yaml", BURST_RULE)
                .file("rules/c.yaml", CORRELATION_HEADER + "correlation:\n  type: temporal_ordered\n  rules: [malicious-verdict, dns-burst]\n  group-by: [source.ip]\n  timespan: 10m\n")
                .compile();
        assertThat(compilation.problems()).isEmpty();
    }

    @Test
    public void correlationErrors()
    {
        assertThat(folder().file("rules/v.yaml", VERDICT_RULE).file("rules/b.yaml", BURST_RULE)
                .file("rules/c.yaml", CORRELATION_HEADER + "correlation:\n  type: temporal_ordred\n  rules: [malicious-verdict, dns-burst]\n  group_by: [source.ip]\n  timespan: 10m\n")
                .problems())
                .containsExactly("c.yaml:6:9: rule verdict-then-burst: unknown correlation type 'temporal_ordred'; expected one of [event_count, value_count, temporal, temporal_ordered]; "
                        + "did you mean 'temporal_ordered'?");
        assertThat(folder().file("rules/v.yaml", VERDICT_RULE).file("rules/b.yaml", BURST_RULE)
                .file("rules/c.yaml", CORRELATION_HEADER + "correlation:\n  type: temporal\n  rules: [malicious-verdict, dns-burst]\n  group_by: [source.ip]\n  timespan: 10m\n"
                        + "  previous_day: reed\n")
                .problems())
                .singleElement().asString()
                .startsWith("c.yaml:10:17: rule verdict-then-burst: previous_day 'reed' is not known; expected one of [read, ignore] (read: windows that start before the day read the previous day's hits;")
                .endsWith("did you mean 'read'?");
        assertThat(folder().file("rules/c.yaml", CORRELATION_HEADER + "correlation:\n  type: value_count\n  rules: [malicious-verdikt, dns-burst]\n  group_by: [source.ip]\n"
                        + "  timespan: 2d\n  condition: {gte: 3}\n").problems())
                .containsExactly("c.yaml:9:13: rule verdict-then-burst: timespan 2d is longer than the one day of data a run reads; expected at most 1d",
                        "c.yaml:10:14: rule verdict-then-burst: a value_count correlation needs 'field' in its condition; expected the field whose distinct values are counted");
        assertThat(folder().file("rules/c.yaml", CORRELATION_HEADER + "correlation:\n  type: event_count\n  rules: [malicious-verdikt, dns-burst]\n  group_by: [destination.ip]\n"
                        + "  timespan: 1h\n  condition: {gte: 3}\n").problems())
                .containsExactly("c.yaml:7:11: rule verdict-then-burst: correlation refers to rule 'malicious-verdikt', which no rule file defines; expected a rule id of this folder; "
                                + "did you mean 'malicious-verdict'?",
                        "c.yaml:8:14: rule verdict-then-burst: group_by field 'destination.ip' is not in the hits of rule 'dns-burst'; expected one of its fields [source.ip, id.orig_h] "
                                + "(or an alias mapping it per rule)");
    }
}
