package io.dragnet.cli;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.rules.Problem;
import io.dragnet.rules.SourceCatalog;
import io.dragnet.sparkjobs.lake.ImportSummary;
import io.dragnet.sparkjobs.lake.ZeekLakeImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code dragnet lake import DIR}: Zeek logs (TSV or JSON, plain or gzip, any rotation naming) into the lake's typed
 * Parquet day partitions; see {@link ZeekLakeImporter}. Exit 0 when every line was imported, 1 when lines or files
 * could not be, 2 for bad usage.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a folder of Zeek logs (TSV or JSON, plain or gzip, rotated or not) into the lake as typed Parquet, one partition per source and UTC day.")
public final class LakeImportCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of Zeek logs (read recursively).")
    private Path folder;

    @Option(names = "--source", paramLabel = "S", split = ",", description = "Only these sources (zeek_conn, zeek_dns, …); default: every log in the folder.")
    private List<String> sources = new ArrayList<>();

    @Option(names = "--from", paramLabel = "D", description = "First UTC day to import (YYYY-MM-DD); records of earlier days are left out.")
    private LocalDate from;

    @Option(names = "--to", paramLabel = "D", description = "Last UTC day to import (YYYY-MM-DD), inclusive.")
    private LocalDate to;

    @Option(names = "--sources-file", paramLabel = "FILE", description = "A rules folder's sources.yaml: logs it declares are typed as declared.")
    private Path sourcesFile;

    @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet).")
    private Path home;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        DragnetHome dragnetHome = DragnetHome.fromOption(home);
        SourceCatalog catalog = catalog();
        ZeekLakeImporter importer = new ZeekLakeImporter(catalog.schemas());
        ImportSummary summary = importer.importLogs(folder, dragnetHome.lake(), new ZeekLakeImporter.Selection(Set.copyOf(sources), from, to));
        print(out, summary, dragnetHome.lake());
        out.flush();
        return summary.complete() ? 0 : 1;
    }

    private SourceCatalog catalog()
    {
        if (sourcesFile == null) {
            return SourceCatalog.builtIn();
        }
        String content;
        try {
            content = Files.readString(sourcesFile);
        }
        catch (IOException e) {
            throw DragnetException.user("--sources-file " + sourcesFile + " cannot be read: " + e.getMessage());
        }
        List<Problem> problems = new ArrayList<>();
        SourceCatalog catalog = SourceCatalog.builtIn().withDeclarations(sourcesFile.toString(), content, problems::add);
        if (!problems.isEmpty()) {
            throw DragnetException.user(problems.get(0).toString() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        return catalog;
    }

    static void print(PrintWriter out, ImportSummary summary, Path lake)
    {
        TextTable table = new TextTable("source", "day", "records", "files");
        summary.partitions().forEach(partition -> table.row(partition.source(), partition.day(), String.format(Locale.ROOT, "%,d", partition.records()), partition.files()));
        out.print(table.render());
        out.printf(Locale.ROOT, "imported %,d records into %d day partitions of %s%n", summary.records(), summary.partitions().size(), lake);
        if (summary.outsideRange() > 0) {
            out.printf(Locale.ROOT, "%,d records outside --from/--to left out%n", summary.outsideRange());
        }
        if (!summary.skippedFiles().isEmpty()) {
            out.printf("skipped %d files:%n", summary.skippedFiles().size());
            summary.skippedFiles().forEach(file -> out.println("  " + file));
        }
        if (summary.rejected() > 0) {
            out.printf(Locale.ROOT, "%,d lines not imported%s:%n", summary.rejected(), summary.rejected() > summary.rejectedLines().size() ? " (the first " + summary.rejectedLines().size() + " shown)" : "");
            summary.rejectedLines().forEach(line -> out.println("  " + line));
        }
        if (!summary.failedFiles().isEmpty()) {
            out.printf("%d files not imported:%n", summary.failedFiles().size());
            summary.failedFiles().forEach(line -> out.println("  " + line));
        }
        for (ImportSummary.DeclaredSource declared : summary.declared()) {
            out.printf("%n%s is imported but no sources.yaml declares it (schema from %s). To write rules over it, add this to your rules folder's sources.yaml:%n%n",
                    declared.name(), declared.origin());
            out.print(SourceCatalog.declaration(declared.name(), declared.format(), declared.fields()));
        }
    }
}
