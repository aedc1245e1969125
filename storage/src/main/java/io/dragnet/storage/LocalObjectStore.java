package io.dragnet.storage;

import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code file://} locations and plain paths; a write goes to a temporary sibling renamed into place. Written files are
 * owner-only: job specs and IoC tables carry indicator lists copied from feeds, and results, ledgers and reports are data.
 */
public final class LocalObjectStore
        implements ObjectStore
{
    @Override
    public List<String> list(String directory)
    {
        Path root = path(directory);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .map(file -> file.toUri().toString())
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> listWritten(String directory)
    {
        List<StoredObject> objects = new ArrayList<>();
        for (String location : list(directory)) {
            try {
                objects.add(new StoredObject(location, Files.getLastModifiedTime(path(location)).toInstant()));
            }
            catch (NoSuchFileException e) {
                // deleted since it was listed
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read the time of " + path(location) + ": " + e.getMessage(), e);
            }
        }
        return objects;
    }

    @Override
    public byte[] read(String location)
    {
        return readIfPresent(location).orElseThrow(() -> DragnetException.user(path(location) + " does not exist"));
    }

    @Override
    public Optional<byte[]> readIfPresent(String location)
    {
        Path file = path(location);
        try {
            return Optional.of(Files.readAllBytes(file));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
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
        OwnerOnly.writeAtomically(path(location), content);
    }

    @Override
    public void deleteAll(String directory)
    {
        try {
            FileTrees.deleteRecursively(path(directory));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path(directory) + ": " + e.getMessage(), e);
        }
    }

    /** The local path of a {@code file:} URI or a plain path. */
    public static Path path(String location)
    {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
