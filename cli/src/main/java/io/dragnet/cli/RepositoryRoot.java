package io.dragnet.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the CLI runs from: $DRAGNET_REPO_ROOT (set by ./dragnet), else the working directory. */
final class RepositoryRoot
{
    private RepositoryRoot() {}

    static Path find()
    {
        String configured = System.getenv("DRAGNET_REPO_ROOT");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("dragnet.repo.root");
        }
        Path root = configured == null || configured.isBlank() ? Path.of("") : Path.of(configured);
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("samples"))) {
            throw io.dragnet.contracts.DragnetException.user("cannot find the dragnet checkout at " + root + " (no samples/ there); run from the repository root or set DRAGNET_REPO_ROOT");
        }
        return root;
    }
}
