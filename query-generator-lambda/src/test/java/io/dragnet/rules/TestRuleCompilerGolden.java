package io.dragnet.rules;

import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.Json;
import io.dragnet.storage.FileTrees;
import io.dragnet.storage.LocalObjectStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files: rules in {@code golden/<case>/rules/} compile to exactly {@code golden/<case>/expected/<source>.json}
 * (plus the IoC tables as {@code expected/iocs/<table>.csv} and the notes and problems as {@code expected/notes.txt}).
 * Run with {@code -Ddragnet.golden.update=true} to rewrite the expected files after an intended change, and review the diff.
 */
public class TestRuleCompilerGolden
{
    private static final Path GOLDEN = io.dragnet.storage.RepositoryPaths.root().resolve("query-generator-lambda/src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("dragnet.golden.update");

    @ParameterizedTest
    @ValueSource(strings = {"conditions", "field-mapping", "ioc-formats", "fused", "literals"})
    public void compilesToGoldenFiles(String name)
            throws IOException
    {
        Path folder = GOLDEN.resolve(name);
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        Compilation compilation = compiler.compile(compiler.load(folder.resolve("rules").toString()),
                new CompileContext(LocalDate.parse("2018-11-02"), "golden", "file:///lake", "file:///work", "file:///results", "file:///enrichment"));
        Map<String, String> actual = new java.util.TreeMap<>();
        List<String> notes = new ArrayList<>();
        compilation.notes().forEach(note -> notes.add("note: " + note));
        compilation.problems().forEach(problem -> notes.add("problem: " + problem.toString().replace(folder.toString(), "<golden>")));
        actual.put("notes.txt", String.join("\n", notes) + "\n");
        for (Compilation.Job job : compilation.jobs()) {
            JobSpec spec = job.spec();
            actual.put(job.specLocation().substring(job.specLocation().lastIndexOf('/') + 1), Json.write(spec) + "\n");
            job.tables().forEach((location, bytes) -> actual.put("iocs/" + location.substring(location.lastIndexOf('/') + 1), new String(bytes, StandardCharsets.UTF_8)));
        }
        Path expected = folder.resolve("expected");
        if (UPDATE) {
            FileTrees.deleteRecursively(expected);
            for (Map.Entry<String, String> file : actual.entrySet()) {
                Files.createDirectories(expected.resolve(file.getKey()).getParent());
                Files.writeString(expected.resolve(file.getKey()), file.getValue());
            }
        }
        List<String> expectedNames = new ArrayList<>();
        try (var files = Files.walk(expected)) {
            files.filter(Files::isRegularFile).forEach(file -> expectedNames.add(expected.relativize(file).toString()));
        }
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expectedNames);
        for (Map.Entry<String, String> file : actual.entrySet()) {
            assertThat(file.getValue()).as(name + "/expected/" + file.getKey()).isEqualTo(Files.readString(expected.resolve(file.getKey())));
        }
    }
}
