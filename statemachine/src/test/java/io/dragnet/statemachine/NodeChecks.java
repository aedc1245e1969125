package io.dragnet.statemachine;

import io.dragnet.storage.RepositoryPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the npm dev checks (node_modules at the repository root). {@code mvn verify} installs them with {@code npm ci}
 * before the tests, so a missing Node or module fails the test instead of skipping it.
 */
final class NodeChecks
{
    private NodeChecks() {}

    record Result(int exitCode, String stdout, String stderr) {}

    static void requireNodeModule(String module)
    {
        assertThat(onPath("node")).as("node is not on the PATH; the %s check needs it", module).isTrue();
        assertThat(RepositoryPaths.root().resolve("node_modules").resolve(module))
                .as("node_modules/%s is missing: mvn verify installs it with npm ci (or run npm ci at the repository root)", module)
                .isDirectory();
    }

    static Result run(List<String> command)
            throws IOException, InterruptedException
    {
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .directory(RepositoryPaths.root().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean onPath(String program)
    {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
