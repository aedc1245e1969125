package io.dragnet.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the machine's cfn-lint (Python; it carries the SAM translator, so it lints the transformed template) on files
 * and returns its findings. A missing cfn-lint is a failure with an install hint, never a skip.
 */
final class CfnLint
{
    record Finding(String level, String rule, String file, int line, String message)
    {
        @Override
        public String toString()
        {
            return level + " " + rule + " " + file + ":" + line + ": " + message;
        }
    }

    private CfnLint() {}

    static List<Finding> run(List<Path> templates)
            throws IOException, InterruptedException
    {
        Path executable = executable().orElseThrow(() -> new AssertionError(
                "cfn-lint not found on PATH or under ~/.pyenv: the template checks need it (it comes with the machine's "
                        + "Python 3.11; pip install cfn-lint where PyPI is reachable)"));
        Path output = Files.createTempFile("cfn-lint", ".json");
        try {
            List<String> command = new ArrayList<>(List.of(executable.toString(), "--format", "json", "--"));
            templates.forEach(template -> command.add(template.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("cfn-lint did not finish within 5 minutes on " + templates);
            }
            // Exit codes are a bit mask of levels found (2 error, 4 warning, 8 informational); 1 means cfn-lint itself failed.
            if ((process.exitValue() & 1) != 0) {
                throw new AssertionError("cfn-lint failed on " + templates + " (exit " + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            List<Finding> findings = new ArrayList<>();
            for (JsonNode match : new ObjectMapper().readTree(output.toFile())) {
                findings.add(new Finding(match.path("Level").asText(), match.path("Rule").path("Id").asText(),
                        match.path("Filename").asText(), match.path("Location").path("Start").path("LineNumber").asInt(),
                        match.path("Message").asText()));
            }
            return findings;
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    private static Optional<Path> executable()
            throws IOException
    {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "cfn-lint");
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
