package io.dragnet.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files a local run writes hold data (hits, lake records, raw events) or secrets, so they are the dragnet user's only:
 * folders 0700, files 0600. Java cannot change the process's umask, so each writer asks for it: plain Java through
 * {@link #createDirectories} and owner-only temporary files, Hadoop and Spark (which set every file's and folder's mode
 * explicitly from their own umask setting) through {@link #HADOOP_UMASK} and {@link #sparkSettings}. Whole files are
 * written by {@link #writeAtomically}.
 */
public final class OwnerOnly
{
    /** Hadoop's umask setting: Hadoop's local file system chmods what it creates to its default mode less this. */
    public static final String HADOOP_UMASK = "fs.permissions.umask-mode";
    public static final String UMASK = "077";
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** The settings that make a SparkSession's local writes owner-only. */
    public static Map<String, String> sparkSettings()
    {
        return Map.of("spark.hadoop." + HADOOP_UMASK, UMASK);
    }

    public static FileAttribute<Set<PosixFilePermission>> fileAttribute()
    {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /** Like {@link Files#createDirectories}, with every folder it creates 0700 (existing folders keep their mode). */
    public static Path createDirectories(Path folder)
            throws IOException
    {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return folder;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
            // the creation mode passes through the umask; set it exactly
            Files.setPosixFilePermissions(absolute, FOLDER);
        }
        catch (java.nio.file.FileAlreadyExistsException e) {
            // created meanwhile by another writer
        }
        return folder;
    }

    /**
     * The command run under umask 077, so everything the program creates (an engine's data, logs, state) is
     * owner-only: {@code sh -c 'umask 077 && exec "$@"' name command...}.
     */
    public static List<String> underUmask(String name, List<String> command)
    {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "umask " + UMASK + " && exec \"$@\"", name));
        wrapped.addAll(command);
        return List.copyOf(wrapped);
    }

    /**
     * An owner-only file to append to (a log another process writes through a redirect): created empty, or an existing
     * one made owner-only.
     */
    public static Path ensureFile(Path file)
            throws IOException
    {
        try {
            Files.createFile(file, fileAttribute());
        }
        catch (java.nio.file.FileAlreadyExistsException e) {
            // appended to below
        }
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    /** Whether group and others can neither read nor write the file or folder (links are not followed). */
    public static boolean isOwnerOnly(Path path)
            throws IOException
    {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return !mode.contains(PosixFilePermission.GROUP_READ) && !mode.contains(PosixFilePermission.GROUP_WRITE)
                && !mode.contains(PosixFilePermission.OTHERS_READ) && !mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * Writes {@code content} to an owner-only temporary file beside {@code file} and moves it into place atomically, so
     * readers see the old file or the new one, never half of one; missing folders are created owner-only.
     */
    public static void writeAtomically(Path file, byte[] content)
    {
        Path folder = file.toAbsolutePath().getParent();
        try {
            createDirectories(folder);
            Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp", fileAttribute());
            try {
                Files.write(temp, content);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(temp);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #writeAtomically(Path, byte[])} of {@code text} in UTF-8. */
    public static void writeAtomically(Path file, String text)
    {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
