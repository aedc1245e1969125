package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestZeekTsvLineParser
{
    private static final List<String> HEADER = List.of(
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tduration\tlocal_orig\ttunnel_parents",
            "#types\ttime\tstring\taddr\tport\tinterval\tbool\tset[string]");

    private final ZeekTsvLineParser parser = new ZeekTsvLineParser(ZeekHeader.parse(HEADER, "conn.log"));

    @Test
    void readsHeaderSeparatorsFieldsAndTypes()
    {
        ZeekHeader header = ZeekHeader.parse(HEADER, "conn.log");
        assertThat(header.separator()).isEqualTo("\t");
        assertThat(header.path()).isEqualTo("conn");
        assertThat(header.fields()).containsExactly("ts", "uid", "id.orig_h", "id.orig_p", "duration", "local_orig", "tunnel_parents");
        assertThat(header.fieldTypes()).containsExactly(FieldType.TIMESTAMP, FieldType.STRING, FieldType.IP, FieldType.LONG, FieldType.DOUBLE, FieldType.BOOLEAN, FieldType.STRING);
    }

    @Test
    void parsesTypedValuesWithUnsetAndEmpty()
    {
        LineParser.ParsedLine parsed = parser.parse("1541117137.618695\tCYtJYz4gNk3t5ZEt2\t172.16.9.233\t49159\t-\tT\t(empty)");
        assertThat(parsed.isRejected()).isFalse();
        Object[] values = parsed.values();
        Timestamp ts = (Timestamp) values[0];
        assertThat(ts.toInstant().toString()).isEqualTo("2018-11-02T00:05:37.618695Z");
        assertThat(values[1]).isEqualTo("CYtJYz4gNk3t5ZEt2");
        assertThat(values[2]).isEqualTo("172.16.9.233");
        assertThat(values[3]).isEqualTo(49159L);
        assertThat(values[4]).as("unset").isNull();
        assertThat(values[5]).isEqualTo(true);
        assertThat(values[6]).as("empty set").isEqualTo("");
    }

    @Test
    void rejectsWrongColumnCountAndUnparsableValuesWithTheReason()
    {
        assertThat(parser.parse("1541117137.6\tC1\t10.0.0.1\t80\t0.1\tT").reason())
                .isEqualTo("expected 7 tab-separated columns (#fields), got 6");
        assertThat(parser.parse("1541117137.6\tC1\t10.0.0.1\t80\t0.1\tT\t-\textra").reason())
                .startsWith("expected 7 tab-separated columns");
        assertThat(parser.parse("yesterday\tC1\t10.0.0.1\t80\t0.1\tT\t-").reason())
                .isEqualTo("field 'ts' (time): expected epoch seconds or an ISO-8601 time, got 'yesterday'");
        assertThat(parser.parse("1541117137.6\tC1\t10.0.0.1\thttp\t0.1\tT\t-").reason())
                .isEqualTo("field 'id.orig_p' (port): expected an integer, got 'http'");
    }

    @Test
    void metadataLinesAreNotRecords()
    {
        assertThat(parser.isMetadata("#close\t2025-11-23-10-29-58")).isTrue();
        assertThat(parser.isMetadata("")).isTrue();
        assertThat(parser.isMetadata("1541117137.6\tC1")).isFalse();
    }

    @Test
    void headerWithoutFieldsIsAUserErrorNamingTheFile()
    {
        assertThatThrownBy(() -> ZeekHeader.parse(List.of("#separator \\x09", "1541117137.6\tC1"), "file:/lake/conn.log"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("file:/lake/conn.log")
                .hasMessageContaining("#fields and #types");
    }

    @Test
    void jsonLinesUseFlatDottedKeysAndJoinArrays()
    {
        JsonLineParser json = new JsonLineParser(List.of("ts", "id.orig_h", "id.resp_p", "answers"),
                List.of(FieldType.TIMESTAMP, FieldType.IP, FieldType.LONG, FieldType.STRING));
        Object[] values = json.parse("{\"ts\":1541117137.5,\"id.orig_h\":\"172.16.9.233\",\"id.resp_p\":53,\"answers\":[\"a\",\"b\"]}").values();
        assertThat(((Timestamp) values[0]).toInstant().toString()).isEqualTo("2018-11-02T00:05:37.500Z");
        assertThat(values[1]).isEqualTo("172.16.9.233");
        assertThat(values[2]).isEqualTo(53L);
        assertThat(values[3]).isEqualTo("a,b");
        assertThat(json.parse("{\"ts\":\"2018-11-02T00:05:37Z\"}").values()[0]).isNotNull();
        assertThat(json.parse("{not json").reason()).startsWith("expected one JSON object per line");
        assertThat(json.parse("{\"id.resp_p\":\"x\"}").reason()).isEqualTo("field 'id.resp_p' (long): expected an integer, got 'x'");
    }

    @Test
    void csvLinesFollowTheHeaderAndRejectWrongWidth()
    {
        CsvLineParser csv = new CsvLineParser("host,hits", List.of("host", "hits"), List.of(FieldType.STRING, FieldType.LONG));
        assertThat(csv.isMetadata("host,hits")).isTrue();
        assertThat(csv.parse("\"a,b\",3").values()).containsExactly("a,b", 3L);
        assertThat(csv.parse("a,3,4").reason()).isEqualTo("expected 2 CSV columns (header), got 3");
        assertThat(csv.parse("a,").values()).containsExactly("a", null);
    }
}
