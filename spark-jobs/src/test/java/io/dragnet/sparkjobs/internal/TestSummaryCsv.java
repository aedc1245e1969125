package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSummaryCsv
{
    @Test
    void oneRowPerTopEntityWithTotalsRepeated()
    {
        RuleSummary summary = new RuleSummary("c2-ip", "C2, by IP", "c2", "2018-11-02", "zeek_conn", 12, 1, 2,
                Instant.parse("2018-11-02T00:10:22.691351Z"), Instant.parse("2018-11-02T03:00:00Z"),
                List.of(new RuleSummary.EntityCount("76.181.182.166", 9), new RuleSummary.EntityCount("199.227.126.250", 3)));
        assertThat(SummaryCsv.render(summary)).isEqualTo("""
                rule_id,rule_name,topic,date,source,hits,distinct_sources,distinct_destinations,first_time,last_time,rank,entity,entity_hits
                c2-ip,"C2, by IP",c2,2018-11-02,zeek_conn,12,1,2,2018-11-02T00:10:22.691351Z,2018-11-02T03:00:00Z,1,76.181.182.166,9
                c2-ip,"C2, by IP",c2,2018-11-02,zeek_conn,12,1,2,2018-11-02T00:10:22.691351Z,2018-11-02T03:00:00Z,2,199.227.126.250,3
                """);
    }

    @Test
    void ruleWithoutHitsStillHasARow()
    {
        assertThat(SummaryCsv.render(RuleSummary.empty("quiet", "Quiet", "dns", "2018-11-02", "zeek_dns")).lines().toList())
                .containsExactly(String.join(",", SummaryCsv.HEADER), "quiet,Quiet,dns,2018-11-02,zeek_dns,0,0,0,,,,,");
        assertThat(SummaryCsv.fileName("sigma/rule:1")).isEqualTo("sigma_rule_1.csv");
    }
}
