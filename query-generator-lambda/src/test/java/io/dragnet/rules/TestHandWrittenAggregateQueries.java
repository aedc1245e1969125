package io.dragnet.rules;

import io.dragnet.rules.bench.BenchJobs;
import io.dragnet.rules.bench.HandWrittenAggregates;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregate benchmark's hand-written Spark queries ({@link HandWrittenAggregates}) against the fused pass running
 * the same rules, with thresholds low enough that every rule has hits and misses, over a generated day dense enough
 * (20 sources, 50 destinations, 8 ports) that groups hold many records, with nulls among the measured fields and a
 * group field (an unset destination is a group of its own, as in SQL's GROUP BY, and is not a value count_distinct
 * counts) and records sharing a second: both must report the same (group, window) hits with equal measures and sample ids.
 */
@Tag("integration")
public class TestHandWrittenAggregateQueries
{
    private static final HandWrittenAggregates.Thresholds LOW = new HandWrittenAggregates.Thresholds(14, 3, 17, 0.5, 17_000_000, 300, 0.97, 50, 80, 0.5, 95, 19, 373, 127);

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @TempDir
    static Path temp;

    @Test
    public void handWrittenQueriesFindWhatTheFusedPassFinds()
            throws IOException
    {
        SparkSession spark = SPARK.session();
        String partition = temp.resolve("lake/bench_conn/dt=" + BenchJobs.DAY).toString();
        HandWrittenAggregates.connDay(spark, 200_000)
                .withColumn("id.orig_h", expr("concat('172.16.0.', cast(pmod(hash(uid, 21), 20) as string))"))
                .withColumn("id.resp_h", expr("if(pmod(hash(uid, 27), 20) = 0, null, concat('10.0.0.', cast(pmod(hash(uid, 22), 50) as string)))"))
                .withColumn("id.resp_p", expr("cast(pmod(hash(uid, 23), 8) as long)"))
                .withColumn("orig_bytes", expr("if(pmod(hash(uid, 24), 10) = 0, null, orig_bytes)"))
                .withColumn("orig_pkts", expr("if(pmod(hash(uid, 25), 10) = 0, null, orig_pkts)"))
                .withColumn("duration", expr("if(pmod(hash(uid, 26), 10) = 0, null, duration)"))
                .write().parquet(partition);

        Path dragnet = temp.resolve("dragnet");
        BenchJobs.Timed run = BenchJobs.run(spark, dragnet, BenchJobs.writeRules(dragnet, HandWrittenAggregates.SOURCES, HandWrittenAggregates.rules(LOW)),
                temp.resolve("lake"));
        Dataset<Row> day = spark.read().parquet(partition);
        List<HandWrittenAggregates.Query> queries = HandWrittenAggregates.queries(day, LOW);
        Map<String, String> folders = new HashMap<>();
        for (HandWrittenAggregates.Query query : queries) {
            String folder = temp.resolve("spark/" + query.ruleId()).toString();
            query.hits().write().parquet(folder);
            folders.put(query.ruleId(), folder);
        }

        assertThat(spark.read().parquet(folders.get("agg-vertical")).where(col("`id.resp_h`").isNull()).count()).as("hits of an unset destination").isPositive();
        List<HandWrittenAggregates.RuleComparison> comparisons = HandWrittenAggregates.compare(spark, run.spec().outputs().aggregates(), queries, folders);
        assertThat(comparisons).extracting(HandWrittenAggregates.RuleComparison::ruleId)
                .containsExactly("agg-horizontal", "agg-vertical", "agg-udp-share", "agg-bytes", "agg-beacon", "agg-packets", "agg-duration", "agg-busy-port",
                        "agg-talkers", "agg-rejects");
        assertThat(comparisons).allSatisfy(comparison -> {
            assertThat(comparison.differences()).as(comparison.ruleId()).isEmpty();
            assertThat(comparison.dragnetHits()).as(comparison.ruleId()).isPositive().isEqualTo(comparison.sparkHits());
        });
    }
}
