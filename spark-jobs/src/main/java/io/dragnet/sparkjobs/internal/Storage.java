package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.OwnerOnly;
import io.dragnet.storage.StoredObject;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Files behind location URIs ({@code file:///…} or a plain path locally, {@code s3://…} on EMR) through Hadoop's
 * FileSystem, so the same code runs in both bindings. Whole-file outputs are written to a temporary sibling and
 * renamed into place, or written directly on object stores, where an object appears only once its upload completes.
 * Directory outputs are committed by {@link DirectoryCommit}. This is the Hadoop binding of {@link ObjectStore}: on EMR
 * it reaches S3 through the cluster's own file system, beside the directory operations Spark's outputs need.
 */
public final class Storage
        implements ObjectStore
{
    /**
     * Schemes of object stores: a directory rename there copies and deletes object by object (not atomic), while a
     * single PUT of an object is.
     */
    public static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3", "s3a", "s3n", "gs", "wasb", "wasbs", "abfs", "abfss", "oss", "cos");

    private final Configuration configuration;

    public Storage(Configuration configuration)
    {
        this.configuration = requireNonNull(configuration, "configuration is null");
    }

    public static Path path(String location)
    {
        requireNonNull(location, "location is null");
        URI uri = URI.create(location.replace(" ", "%20"));
        return uri.getScheme() == null ? new Path(new java.io.File(location).getAbsoluteFile().toURI()) : new Path(uri);
    }

    public static boolean isObjectStore(String location)
    {
        String scheme = path(location).toUri().getScheme();
        return scheme != null && OBJECT_STORE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    public FileSystem fileSystem(Path path)
    {
        try {
            return path.getFileSystem(configuration);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot open file system of " + path, e);
        }
    }

    @Override
    public boolean exists(String location)
    {
        Path path = path(location);
        try {
            return fileSystem(path).exists(path);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot check " + location, e);
        }
    }

    /** Data files directly in a directory (or the file itself), skipping hidden names (_…, .…), sorted by name. */
    public List<FileStatus> listDataFiles(String location)
    {
        Path path = path(location);
        FileSystem fs = fileSystem(path);
        try {
            if (!fs.exists(path)) {
                throw DragnetException.user("source location " + location + " does not exist");
            }
            FileStatus status = fs.getFileStatus(path);
            if (status.isFile()) {
                return List.of(status);
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus child : fs.listStatus(path)) {
                String name = child.getPath().getName();
                if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(child);
                }
            }
            files.sort(Comparator.comparing(file -> file.getPath().getName()));
            return files;
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list " + location, e);
        }
    }

    /** Subdirectories of a directory, sorted by name; empty when it does not exist. */
    public List<Path> listDirectories(String location)
    {
        Path path = path(location);
        FileSystem fs = fileSystem(path);
        try {
            if (!fs.exists(path)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(path))
                    .filter(FileStatus::isDirectory)
                    .map(FileStatus::getPath)
                    .sorted(Comparator.comparing(Path::getName))
                    .toList();
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list " + location, e);
        }
    }

    /** Names of the entries (files and directories, hidden ones too) directly in a directory, sorted; empty when it does not exist. */
    public List<String> listNames(String location)
    {
        Path path = path(location);
        FileSystem fs = fileSystem(path);
        try {
            if (!fs.exists(path)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(path)).map(status -> status.getPath().getName()).sorted().toList();
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list " + location, e);
        }
    }

    @Override
    public List<String> list(String directory)
    {
        return listWritten(directory).stream().map(StoredObject::location).toList();
    }

    @Override
    public List<StoredObject> listWritten(String directory)
    {
        Path path = path(directory);
        FileSystem fs = fileSystem(path);
        try {
            if (!fs.exists(path)) {
                return List.of();
            }
            List<StoredObject> objects = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> found = fs.listFiles(path, true);
            while (found.hasNext()) {
                LocatedFileStatus file = found.next();
                if (!file.getPath().getName().startsWith(".")) {
                    objects.add(new StoredObject(file.getPath().toString(), Instant.ofEpochMilli(file.getModificationTime())));
                }
            }
            objects.sort(Comparator.comparing(StoredObject::location));
            return objects;
        }
        catch (IOException e) {
            throw DragnetException.external("cannot list " + directory, e);
        }
    }

    @Override
    public void deleteAll(String directory)
    {
        delete(directory);
    }

    @Override
    public byte[] read(String location)
    {
        return readIfPresent(location).orElseThrow(() -> DragnetException.user(location + " does not exist"));
    }

    @Override
    public Optional<byte[]> readIfPresent(String location)
    {
        Path path = path(location);
        try (InputStream in = fileSystem(path).open(path)) {
            return Optional.of(in.readAllBytes());
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read " + location, e);
        }
    }

    /** Moves one file to {@code target}, creating its parent directory. */
    public void moveFile(Path source, String target)
    {
        Path to = path(target);
        FileSystem fs = fileSystem(to);
        try {
            fs.mkdirs(to.getParent());
            if (!fs.rename(source, to)) {
                throw new IOException("rename returned false");
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot move " + source + " to " + target, e);
        }
    }

    /** A reader of the file's text, decompressing by extension (.gz, .bz2, …). */
    public Reader openText(Path path)
    {
        FileSystem fs = fileSystem(path);
        try {
            InputStream in = fs.open(path);
            CompressionCodec codec = new CompressionCodecFactory(configuration).getCodec(path);
            if (codec != null) {
                in = codec.createInputStream(in);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read " + path, e);
        }
    }

    /** The leading lines of a file that start with '#', plus the first other line (to locate errors). */
    public List<String> readLeadingComments(Path path)
    {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(openText(path))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (!line.startsWith("#")) {
                    break;
                }
            }
            return lines;
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read " + path, e);
        }
    }

    public String readFirstLine(Path path)
    {
        try (BufferedReader reader = new BufferedReader(openText(path))) {
            String line = reader.readLine();
            return line == null ? "" : line;
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read " + path, e);
        }
    }

    /**
     * Writes a whole file so readers see the old or the new content: on object stores one PUT of the target, elsewhere a
     * temp sibling renamed over the target.
     */
    @Override
    public void write(String location, byte[] content)
    {
        Path target = path(location);
        if ("file".equals(target.toUri().getScheme())) {
            OwnerOnly.writeAtomically(java.nio.file.Path.of(target.toUri()), content);
            return;
        }
        FileSystem fs = fileSystem(target);
        if (isObjectStore(location)) {
            try (FSDataOutputStream out = fs.create(target, true)) {
                out.write(content);
                return;
            }
            catch (IOException e) {
                throw DragnetException.external("cannot write " + location, e);
            }
        }
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(temp, true)) {
                out.write(content);
            }
            fs.delete(target, false);
            if (!fs.rename(temp, target)) {
                throw new IOException("rename of " + temp + " failed");
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot write " + location, e);
        }
    }

    /** Replaces the directory at {@code target} by {@code staging} (delete, then rename). */
    public void replaceDirectory(String staging, String target)
    {
        Path from = path(staging);
        Path to = path(target);
        FileSystem fs = fileSystem(to);
        try {
            if (fs.exists(to) && !fs.delete(to, true)) {
                throw new IOException("cannot delete " + to);
            }
            fs.mkdirs(to.getParent());
            if (!fs.rename(from, to)) {
                throw new IOException("rename of " + from + " to " + to + " failed");
            }
        }
        catch (IOException e) {
            throw DragnetException.external("cannot move " + staging + " to " + target, e);
        }
    }

    public void delete(String location)
    {
        Path path = path(location);
        try {
            fileSystem(path).delete(path, true);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot delete " + location, e);
        }
    }

    /** Location of a child, keeping the URI form of the parent. */
    public static String child(String location, String name)
    {
        return location.endsWith("/") ? location + name : location + "/" + name;
    }

    /** A sibling location of a directory (same parent), e.g. a staging directory next to an output. */
    public static String sibling(String location, String name)
    {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        int slash = trimmed.lastIndexOf('/');
        return trimmed.substring(0, slash + 1) + name;
    }
}
