package io.dragnet.sparkjobs.lake;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestZeekLakeImporter
{
    private static final String HEADER = """
            #separator \\x09
            #set_separator\t,
            #empty_field\t(empty)
            #unset_field\t-
            #path\tdns
            #fields\tts\tuid\tquery
            #types\ttime\tstring\tstring
            """;

    @Test
    void splitsByUtcDayKeepingHeadersAndIsIdempotent(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        Files.writeString(zeek.resolve("dns.log"), HEADER
                + "1541116799.9\tC1\tlate.example\n"
                + "1541116800.0\tC2\tmidnight.example\n"
                + "1541203199.5\tC3\tend.example\n"
                + "garbage\tC4\tbad.example\n"
                + "#close\t2025-11-23-10-29-58\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(zeek.resolve("conn.2018-11-02.log.gz")))) {
            out.write(HEADER.replace("#path\tdns", "#path\tconn").concat("1541120000.0\tC5\tx\n").getBytes());
        }
        Files.writeString(zeek.resolve("notes.txt"), "not a log");
        Path lake = temp.resolve("lake");

        ImportSummary first = ZeekLakeImporter.importLogs(zeek, lake);
        assertThat(first.partitions()).extracting(ImportSummary.Partition::source, ImportSummary.Partition::day, ImportSummary.Partition::rows)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("zeek_conn", "2018-11-02", 1L),
                        org.assertj.core.groups.Tuple.tuple("zeek_dns", "2018-11-01", 1L),
                        org.assertj.core.groups.Tuple.tuple("zeek_dns", "2018-11-02", 2L));
        assertThat(first.unparsedRows()).singleElement().asString().endsWith("dns.log:11: expected epoch seconds in column ts");
        List<String> day = Files.readAllLines(lake.resolve("zeek_dns/dt=2018-11-02/dns.log"));
        assertThat(day.subList(0, 7)).isEqualTo(HEADER.lines().toList());
        assertThat(day.subList(7, day.size())).containsExactly("1541116800.0\tC2\tmidnight.example", "1541203199.5\tC3\tend.example", "#close\t2025-11-23-10-29-58");
        assertThat(Files.readString(lake.resolve("zeek_conn/dt=2018-11-02/conn.log"))).contains("#path\tconn").endsWith("1541120000.0\tC5\tx\n");

        ImportSummary second = ZeekLakeImporter.importLogs(zeek, lake);
        assertThat(second.partitions()).noneMatch(ImportSummary.Partition::changed);
        assertThat(second.rows()).isEqualTo(first.rows());
        try (var files = Files.walk(lake)) {
            assertThat(files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void logWithoutFieldsHeaderIsAUserError(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        Files.writeString(zeek.resolve("conn.log"), "1541116800.0\tC2\n");
        assertThatThrownBy(() -> ZeekLakeImporter.importLogs(zeek, temp.resolve("lake")))
                .isInstanceOf(DragnetException.class)
                .hasMessageEndingWith("conn.log:1: expected a #fields header naming a ts column before the first row");
    }
}
