package io.dragnet.storage;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.EnvironmentVariable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the checkout keeps what runs from it: the repository root, {@code samples/}, and the full datasets when the
 * user configures them.
 * <p>
 * The root comes from {@code -Ddragnet.repo.root} (set by surefire), {@code $DRAGNET_REPO_ROOT} (set by ./dragnet), or the
 * nearest parent of the working directory holding {@code samples/}. Datasets come from {@code -Ddragnet.datasets} or
 * {@code $DRAGNET_DATASETS} only: nothing outside the checkout is read unless configured; without them the small copies in
 * {@code samples/} stand in.
 */
public final class RepositoryPaths
{
    private RepositoryPaths() {}

    public static Path root()
    {
        Optional<Path> configured = setting("dragnet.repo.root", EnvironmentVariable.DRAGNET_REPO_ROOT);
        if (configured.isPresent()) {
            return configured.get();
        }
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory.resolve("samples")) && Files.isRegularFile(directory.resolve("pom.xml"))) {
                return directory;
            }
        }
        throw DragnetException.user("cannot find the dragnet checkout from " + Path.of("").toAbsolutePath()
                + " (no parent holds samples/ and pom.xml); run from the repository or set DRAGNET_REPO_ROOT");
    }

    public static Path samples()
    {
        return root().resolve("samples");
    }

    /** The configured datasets folder ({@code -Ddragnet.datasets} or {@code $DRAGNET_DATASETS}), if any. */
    public static Optional<Path> datasets()
    {
        return setting("dragnet.datasets", EnvironmentVariable.DRAGNET_DATASETS);
    }

    /**
     * A dataset file or folder: {@code datasetPath} under the configured datasets when it exists there, else
     * {@code samplePath} under {@code samples/}.
     */
    public static Path dataset(String datasetPath, String samplePath)
    {
        return datasets().map(folder -> folder.resolve(datasetPath))
                .filter(Files::exists)
                .orElse(samples().resolve(samplePath));
    }

    private static Optional<Path> setting(String property, EnvironmentVariable environment)
    {
        String value = System.getProperty(property);
        Optional<String> configured = value == null || value.isBlank() ? environment.read() : Optional.of(value);
        return configured.map(setting -> Path.of(setting).toAbsolutePath().normalize());
    }
}
