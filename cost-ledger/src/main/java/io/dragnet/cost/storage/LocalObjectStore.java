package io.dragnet.cost.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** An {@link ObjectStore} over a local directory; writes go to a temp sibling and are renamed into place. */
public final class LocalObjectStore
        implements ObjectStore
{
    private final Path root;

    public LocalObjectStore(Path root)
    {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path path(String key)
    {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("key " + key + " leaves " + root);
        }
        return path;
    }

    @Override
    public Optional<byte[]> read(String key)
    {
        Path path = path(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    @Override
    public List<String> list(String prefix)
    {
        Path directory = path(prefix);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    @Override
    public void write(String key, byte[] content)
    {
        Path file = path(key);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            readableByAll(temp);
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Temp files are created owner-only; the ledger and reports are meant to be read like any other result file. */
    public static void readableByAll(Path file)
            throws IOException
    {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Override
    public String uri(String key)
    {
        return path(key).toUri().toString();
    }

    @Override
    public ObjectStore child(String prefix)
    {
        return new LocalObjectStore(path(prefix));
    }
}
