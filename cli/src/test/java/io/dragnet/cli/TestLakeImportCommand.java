package io.dragnet.cli;

import io.dragnet.contracts.JobSpec;
import io.dragnet.rules.Problem;
import io.dragnet.rules.SourceCatalog;
import io.dragnet.rules.SourceDefinition;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dragnet lake import} through the one CLI, over real Zeek logs (samples/zeek and the shared capture's weird.log header). */
class TestLakeImportCommand
{
    private static final String WEIRD = """
            #separator \\x09
            #set_separator\t,
            #empty_field\t(empty)
            #unset_field\t-
            #path\tweird
            #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tname\taddl\tnotice\tpeer\tsource
            #types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tbool\tstring\tstring
            1541117137.612824\tChGjjk2gPwRr4N3o3d\t172.16.9.233\t49157\t172.16.9.5\t49158\tnetlogon_dce_rpc_auth_type\t68\tF\tzeek\tDCE_RPC
            1541117144.917513\tCtglTUu0kwyjo7if2\t172.16.9.233\t53179\t172.16.9.5\t53\tDNS_unknown_opcode\t5\tF\tzeek\tDNS
            """;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... arguments)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(arguments, new PrintWriter(out), new PrintWriter(err));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void importsKnownAndUnknownLogsAndPrintsADeclarationTheCatalogAccepts(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        Files.copy(RepositoryPaths.root().resolve("samples/zeek/dns.log"), zeek.resolve("dns.log"));
        Files.writeString(zeek.resolve("weird.00:00:00-01:00:00.log"), WEIRD);
        Path home = temp.resolve("home");

        Run run = run("lake", "import", zeek.toString(), "--home", home.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out().lines().map(String::stripTrailing).limit(5)).containsExactly(
                "source      day         records  files",
                "----------  ----------  -------  -----",
                "zeek_dns    2018-11-02  250      1",
                "zeek_weird  2018-11-02  2        1",
                "imported 252 records into 2 day partitions of " + home.resolve("lake"));
        assertThat(Files.list(home.resolve("lake/zeek_weird/dt=2018-11-02"))).singleElement().asString().endsWith(".parquet");

        String declaration = run.out().substring(run.out().indexOf("sources:"));
        List<Problem> problems = new ArrayList<>();
        SourceCatalog catalog = SourceCatalog.builtIn().withDeclarations("sources.yaml", declaration, problems::add);
        assertThat(problems).isEmpty();
        SourceDefinition weird = catalog.find("zeek_weird").orElseThrow();
        assertThat(weird.format()).isEqualTo("zeek_tsv");
        assertThat(weird.dataset()).isEqualTo("zeek.weird");
        assertThat(weird.timeField()).isEqualTo("ts");
        assertThat(weird.schema()).containsExactly(new JobSpec.FieldSpec("ts", "timestamp"), new JobSpec.FieldSpec("uid", "string"),
                new JobSpec.FieldSpec("id.orig_h", "ip"), new JobSpec.FieldSpec("id.orig_p", "long"), new JobSpec.FieldSpec("id.resp_h", "ip"),
                new JobSpec.FieldSpec("id.resp_p", "long"), new JobSpec.FieldSpec("name", "string"), new JobSpec.FieldSpec("addl", "string"),
                new JobSpec.FieldSpec("notice", "boolean"), new JobSpec.FieldSpec("peer", "string"), new JobSpec.FieldSpec("source", "string"));
        assertThat(weird.resolve("destination.ip")).contains("id.resp_h");
        assertThat(weird.resolve("@timestamp")).contains("ts");
        assertThat(weird.resolve("network.transport")).isEmpty();
    }

    @Test
    void linesThatCannotBeImportedAreNamedAndTheExitCodeSaysSo(@TempDir Path temp)
            throws IOException
    {
        Path zeek = Files.createDirectories(temp.resolve("zeek"));
        Files.writeString(zeek.resolve("weird.log"), WEIRD + "not-a-time\tC\t172.16.9.233\t1\t172.16.9.5\t2\tx\t-\tF\tzeek\t-\n");
        Run run = run("lake", "import", zeek.toString(), "--home", temp.resolve("home").toString(), "--source", "zeek_weird", "--from", "2018-11-02", "--to", "2018-11-02");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("1 lines not imported:\n  " + zeek.resolve("weird.log") + ":10: field 'ts' (time): expected epoch seconds or an ISO-8601 time, got 'not-a-time'\n");

        Run missing = run("lake", "import", temp.resolve("nowhere").toString(), "--home", temp.resolve("home").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("dragnet: Zeek log folder " + temp.resolve("nowhere") + " does not exist; expected a folder of Zeek logs\n");
    }
}
