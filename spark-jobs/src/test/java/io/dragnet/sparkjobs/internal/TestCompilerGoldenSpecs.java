package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.storage.RepositoryPaths;
import org.apache.spark.sql.Column;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract check with the rule compiler: every golden job spec of query-generator-lambda deserializes and every
 * predicate in it builds into exactly the Spark expression in {@code golden-columns/<case>/<source>.txt} (field names,
 * operators, IoC kinds and keyword tables all understood). Run with {@code -Ddragnet.golden.update=true} to rewrite
 * the expected files after an intended change, and review the diff.
 */
class TestCompilerGoldenSpecs
{
    @Test
    void everyGoldenSpecOfTheCompilerBuildsIntoColumns()
            throws IOException
    {
        Path root = RepositoryPaths.root();
        Path golden = root.resolve("query-generator-lambda/src/test/resources/golden");
        assertThat(golden).as("the compiler's golden specs").isDirectory();
        List<Path> specs;
        try (Stream<Path> files = Files.walk(golden)) {
            specs = files.filter(file -> file.getParent().getFileName().toString().equals("expected") && file.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(specs).isNotEmpty();
        Path expectedRoot = root.resolve("spark-jobs/src/test/resources/golden-columns");
        boolean update = Boolean.getBoolean("dragnet.golden.update");
        int predicates = 0;
        for (Path file : specs) {
            StringBuilder actual = new StringBuilder();
            JobSpec spec = Json.read(file, JobSpec.class);
            Map<String, FieldType> schema = new LinkedHashMap<>();
            spec.source().fields().forEach(field -> schema.put(field.name(), FieldType.of(field.type())));
            Map<String, LoadedIocTable> tables = new LinkedHashMap<>();
            for (JobSpec.IocTable table : spec.iocTables()) {
                Path csv = file.resolveSibling("iocs").resolve(table.id() + ".csv");
                List<IocEntry> entries = List.of();
                if (Files.isRegularFile(csv)) {
                    try (Reader reader = Files.newBufferedReader(csv)) {
                        entries = IocTables.parse(reader, csv.toString(), table.kind());
                    }
                }
                tables.put(table.id(), new LoadedIocTable(table.id(), table.kind(), entries));
            }
            java.util.LinkedHashSet<IocUse> uses = new java.util.LinkedHashSet<>();
            spec.rules().forEach(rule -> PredicateColumns.collectIocUses(rule.predicate(), uses));
            Map<IocUse, String> columns = new LinkedHashMap<>();
            int index = 0;
            for (IocUse use : uses) {
                columns.put(use, IocJoins.columnName(index++));
            }
            PredicateColumns compiler = new PredicateColumns(spec.source().name(), schema, columns, tables);
            for (JobSpec.RuleSpec rule : spec.rules()) {
                Column column = compiler.compile(rule.id(), rule.predicate());
                actual.append(rule.id()).append(": ").append(column.expr()).append('\n');
                predicates++;
            }
            for (LoadedIocTable table : tables.values()) {
                IocJoins.groups(table).forEach((group, entries) -> actual.append("iocs ").append(table.id()).append(" group ").append(group)
                        .append(": ").append(entries.size()).append(" entries\n"));
            }
            Path caseFolder = file.getParent().getParent();
            Path expected = expectedRoot.resolve(caseFolder.getFileName().toString()).resolve(spec.source().name() + ".txt");
            if (update) {
                Files.createDirectories(expected.getParent());
                Files.writeString(expected, actual.toString());
            }
            assertThat(expected).as("expected Spark expressions for " + file).exists();
            assertThat(actual.toString()).as(file.toString()).isEqualTo(Files.readString(expected));
        }
        assertThat(predicates).isGreaterThanOrEqualTo(specs.size());
    }
}
