package io.dragnet.nids.stream.internal;

import io.dragnet.storage.OwnerOnly;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hadoop's local file system without the shell: without Hadoop's native library, {@link RawLocalFileSystem} starts a
 * process ({@code chmod}, {@code readlink}, {@code ls -ld}) to set a permission, read a link or read a file's owner.
 * A streaming query creates and renames several checkpoint files a second, so on one machine those processes were a
 * measurable share of the CPU. This reads and sets the same attributes through {@code java.nio} instead; Spark uses it
 * for {@code file:} paths under {@link #sparkSettings} (see {@link io.dragnet.nids.stream.LocalSpark}).
 */
public final class ShellFreeLocalFileSystem
        extends LocalFileSystem
{
    private static final String FILE_IMPL = "fs.file.impl";

    public ShellFreeLocalFileSystem()
    {
        super(new Raw());
    }

    /** Spark settings that make {@code file:} paths, checkpoints included, use this file system. */
    public static Map<String, String> sparkSettings()
    {
        return Map.of(
                "spark.hadoop." + FILE_IMPL, ShellFreeLocalFileSystem.class.getName(),
                // the default checkpoint manager for file: goes through FileContext, which has its own local file system
                "spark.sql.streaming.checkpointFileManagerClass", "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager");
    }

    /** Hadoop settings for code that runs without Spark: {@link #sparkSettings}' file system, the same as Spark's tasks get. */
    public static Configuration hadoopConfiguration()
    {
        Configuration conf = new Configuration();
        conf.set(FILE_IMPL, ShellFreeLocalFileSystem.class.getName());
        conf.set(OwnerOnly.HADOOP_UMASK, OwnerOnly.UMASK);
        return conf;
    }

    /** The raw (checksum-less) part: every attribute read and write through java.nio, links included. */
    static final class Raw
            extends RawLocalFileSystem
    {
        @Override
        public void setPermission(Path path, FsPermission permission)
                throws IOException
        {
            Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
        }

        @Override
        public FileStatus getFileStatus(Path path)
                throws IOException
        {
            return status(path, pathToFile(path), true);
        }

        @Override
        public FileStatus getFileLinkStatus(Path path)
                throws IOException
        {
            return status(path, pathToFile(path), false);
        }

        @Override
        public FileStatus[] listStatus(Path path)
                throws IOException
        {
            File file = pathToFile(path);
            FileStatus self = status(path, file, true);
            if (!self.isDirectory()) {
                return new FileStatus[] {self};
            }
            List<FileStatus> children = new ArrayList<>();
            try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(file.toPath())) {
                for (java.nio.file.Path entry : entries) {
                    try {
                        children.add(status(new Path(path, entry.getFileName().toString()), entry.toFile(), true));
                    }
                    catch (FileNotFoundException gone) {
                        // deleted while listing, as RawLocalFileSystem skips it too
                    }
                }
            }
            return children.toArray(FileStatus[]::new);
        }

        /** As RawLocalFileSystem: a link's status is its target's, with the link's target named; a dangling link has zeros. */
        private FileStatus status(Path path, File file, boolean followLinks)
                throws IOException
        {
            Path qualified = path.makeQualified(getUri(), getWorkingDirectory());
            Path symlink = null;
            if (!followLinks) {
                PosixFileAttributes link = attributes(path, file, LinkOption.NOFOLLOW_LINKS);
                if (link.isSymbolicLink()) {
                    symlink = new Path(Files.readSymbolicLink(file.toPath()).toString());
                    if (!Files.exists(file.toPath())) {
                        return new FileStatus(0, false, 0, 0, 0, 0, FsPermission.getDefault(), "", "", symlink, qualified);
                    }
                }
            }
            PosixFileAttributes attributes = attributes(path, file);
            return new FileStatus(attributes.isDirectory() ? 0 : attributes.size(), attributes.isDirectory(), 1, getDefaultBlockSize(path),
                    attributes.lastModifiedTime().toMillis(), attributes.lastAccessTime().toMillis(), permission(attributes.permissions()),
                    attributes.owner().getName(), attributes.group().getName(), symlink, qualified);
        }

        private static PosixFileAttributes attributes(Path path, File file, LinkOption... options)
                throws IOException
        {
            try {
                return Files.readAttributes(file.toPath(), PosixFileAttributes.class, options);
            }
            catch (NoSuchFileException e) {
                throw new FileNotFoundException("File " + path + " does not exist");
            }
        }
    }

    static Set<PosixFilePermission> posix(FsPermission permission)
    {
        // without the sticky bit, which FsPermission writes as a tenth letter that java.nio does not read
        return PosixFilePermissions.fromString(new FsPermission((short) (permission.toShort() & 0777)).toString());
    }

    static FsPermission permission(Set<PosixFilePermission> permissions)
    {
        return FsPermission.valueOf("-" + PosixFilePermissions.toString(permissions));
    }
}
