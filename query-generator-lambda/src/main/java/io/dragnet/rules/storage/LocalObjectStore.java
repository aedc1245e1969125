package io.dragnet.rules.storage;

import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code file://} locations; writes go to a sibling temp file renamed into place. Written files are owner-only: job
 * specs and IoC tables carry indicator lists and keyword lines copied from feeds.
 */
public final class LocalObjectStore
        implements ObjectStore
{
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    @Override
    public List<String> list(String directory)
    {
        Path root = path(directory);
        if (!Files.isDirectory(root)) {
            throw DragnetException.user(root + " is not a directory; expected a folder of rule files");
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().map(file -> file.toUri().toString()).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String location)
    {
        Path file = path(location);
        try {
            return Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            throw DragnetException.user(file + " does not exist");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasObjects(String directory)
    {
        Path root = path(directory);
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(file -> Files.isRegularFile(file) && !file.getFileName().toString().startsWith("."));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String location)
    {
        return Files.exists(path(location));
    }

    @Override
    public void write(String location, byte[] content)
    {
        Path file = path(location);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, OWNER_ONLY);
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Path path(String location)
    {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
