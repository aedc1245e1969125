package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.VerdictColumns;
import io.dragnet.nids.model.StumpModel;
import io.dragnet.nids.features.WindowHistory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestLakeRows
{
    private static final int SESSION_ID = LakeRows.SCHEMA.fieldIndex(VerdictColumns.SESSION_ID);

    @Test
    void aVerdictBecomesALakeRowInSparksInternalFormWithItsSourcePosition()
    {
        byte[] json = verdicts(1).get(0);

        LakeRows.Parsed parsed = LakeRows.parse(true, json);

        assertThat(parsed.partition()).isEqualTo(0);
        assertThat(parsed.offset()).isEqualTo(0L);
        Object[] row = parsed.values();
        assertThat(row).hasSize(LakeRows.SCHEMA.size());
        assertThat(row[SESSION_ID].toString()).isNotEmpty();
        long startMicros = (Long) row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.START_TIME)];
        assertThat(Instant.EPOCH.plus(startMicros, ChronoUnit.MICROS).toString()).startsWith("2018-11-02T");
        assertThat(row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.DT)]).isEqualTo(UTF8String.fromString("2018-11-02"));
        assertThat(row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.SCORE)]).isInstanceOf(Double.class);
        assertThat(row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.SRC_PORT)]).isInstanceOf(Long.class);
        assertThat(row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.PREDICTED_MALICIOUS)]).isInstanceOf(Boolean.class);
        assertThat(row[LakeRows.SCHEMA.fieldIndex(VerdictColumns.SENT_AT)]).isEqualTo(1L);
    }

    @Test
    void recordsWithoutASourcePositionAreNotLakeRows()
    {
        assertThat(LakeRows.parse(true, utf8("not json"))).isNull();
        assertThat(LakeRows.parse(true, utf8("{\"session_id\":\"x\"}"))).isNull();
        LakeRows.Parsed deadLetter = LakeRows.parse(false, utf8("{\"reason\":\"r\",\"kafka_partition\":0,\"kafka_offset\":3}"));
        assertThat(deadLetter.verdict()).isFalse();
        assertThat(deadLetter.offset()).isEqualTo(3L);
    }

    @Test
    void dropsWhatTheMarksHoldAndWhatThePartitionAlreadyHadInThisBatch()
            throws Exception
    {
        List<byte[]> verdicts = verdicts(8);
        Map<String, Long> offsetOfSession = new HashMap<>();
        for (int offset = 0; offset < verdicts.size(); offset++) {
            offsetOfSession.put(LakeRows.parse(true, verdicts.get(offset)).values()[SESSION_ID].toString(), (long) offset);
        }
        List<InternalRow> records = new ArrayList<>();
        // offsets 0…5, then a restarted scorer re-sends 3…7
        for (int offset : new int[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7}) {
            records.add(record("verdicts", verdicts.get(offset)));
        }
        SourceMarks marks = SourceMarks.EMPTY.advance(Map.of(VerdictLakeWriter.VERDICT, Map.of(0, 1L)));

        LakeBatchStats stats = new LakeBatchStats();

        Iterator<InternalRow> rows = new LakeRows("verdicts", marks, stats).call(records.iterator());

        List<Long> offsets = new ArrayList<>();
        rows.forEachRemaining(row -> offsets.add(offsetOfSession.get(row.getUTF8String(SESSION_ID).toString())));
        assertThat(offsets).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(stats.verdicts()).isEqualTo(6);
        assertThat(stats.maxima()).isEqualTo(Map.of(VerdictLakeWriter.VERDICT, Map.of(0, 7L)));
    }

    @Test
    void batchStatsMergeTheirTasksHighestOffsetsAndStamps()
            throws Exception
    {
        List<byte[]> verdicts = verdicts(4);
        LakeBatchStats first = new LakeBatchStats();
        LakeBatchStats second = new LakeBatchStats();
        new LakeRows("verdicts", SourceMarks.EMPTY, first).call(List.of(record("verdicts", verdicts.get(0)), record("verdicts", verdicts.get(1))).iterator())
                .forEachRemaining(row -> {});
        new LakeRows("verdicts", SourceMarks.EMPTY, second).call(List.of(record("dead-letters", utf8("{\"reason\":\"r\",\"kafka_partition\":3,\"kafka_offset\":9}")),
                record("verdicts", verdicts.get(3))).iterator()).forEachRemaining(row -> {});

        LakeBatchStats merged = first.copy();
        merged.merge(second);

        assertThat(merged.verdicts()).isEqualTo(3);
        assertThat(merged.maxima()).isEqualTo(Map.of(VerdictLakeWriter.VERDICT, Map.of(0, 3L), VerdictLakeWriter.DEAD, Map.of(3, 9L)));
        BatchStamps stamps = merged.stamps();
        assertThat(stamps.deadLetters()).isEqualTo(1);
        assertThat(stamps.sent()).containsExactly(1L, 1L, 1L);
        assertThat(stamps.broker()).containsExactly(2L, 2L, 2L);
        assertThat(first.verdicts()).isEqualTo(2);
        first.reset();
        assertThat(first.isZero()).isTrue();
    }

    private static List<byte[]> verdicts(int count)
    {
        PartitionScorer scorer = new PartitionScorer(StumpModel.onSourceConnections("v-stump"), WindowHistory.NONE, () -> 1L);
        List<String> lines = io.dragnet.nids.data.SessionSynthesizer.derive(io.dragnet.nids.data.UnswLoader.load(io.dragnet.nids.data.UnswDatasets.trainingCsv()), count,
                java.time.LocalDate.parse("2018-11-02"), 3).stream().map(derived -> io.dragnet.nids.data.SessionCodec.encode(derived.session(), 1L)).toList();
        List<byte[]> verdicts = new ArrayList<>();
        for (int offset = 0; offset < lines.size(); offset++) {
            verdicts.add(scorer.score(0, offset, lines.get(offset), 2L).value());
        }
        return verdicts;
    }

    /** A record as the lake query hands it over: topic, value. */
    private static InternalRow record(String topic, byte[] value)
    {
        return new GenericInternalRow(new Object[] {UTF8String.fromString(topic), value});
    }

    private static byte[] utf8(String json)
    {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
