package io.dragnet.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAM template and its nested templates pass cfn-lint (with the SAM translator) without a single error or
 * warning. cfn-lint comes with the machine's Python 3.11; its absence fails the test rather than skipping it.
 */
class TestLint
{
    private static final Path ROOT = io.dragnet.storage.RepositoryPaths.root();

    @Test
    void templatesLintClean()
            throws IOException, InterruptedException
    {
        Path cfnLint = cfnLint().orElseThrow(() -> new AssertionError(
                "cfn-lint not found on PATH or under ~/.pyenv; it comes with the machine's Python 3.11 (pip install cfn-lint where PyPI is reachable)"));
        List<String> command = new ArrayList<>(List.of(cfnLint.toString(), "--", ROOT.resolve("infra-sam/template.yaml").toString()));
        try (Stream<Path> nested = Files.list(ROOT.resolve("infra-sam/access"))) {
            nested.filter(file -> file.toString().endsWith(".yaml")).sorted().forEach(file -> command.add(file.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(output).as("cfn-lint findings").isBlank();
        assertThat(process.exitValue()).as("cfn-lint exit code; output:%n%s", output).isZero();
    }

    private static Optional<Path> cfnLint()
            throws IOException
    {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, "cfn-lint");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path versions = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> installed = Files.list(versions)) {
                return installed.sorted().map(version -> version.resolve("bin/cfn-lint")).filter(Files::isExecutable).findFirst();
            }
        }
        return Optional.empty();
    }
}
