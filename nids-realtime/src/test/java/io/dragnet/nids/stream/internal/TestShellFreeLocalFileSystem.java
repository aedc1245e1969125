package io.dragnet.nids.stream.internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestShellFreeLocalFileSystem
{
    @Test
    void permissionsConvertBothWaysForEveryMode()
    {
        for (int mode = 0; mode <= 0777; mode++) {
            FsPermission permission = new FsPermission((short) mode);
            assertThat(PosixFilePermissions.toString(ShellFreeLocalFileSystem.posix(permission))).isEqualTo(permission.toString());
            assertThat(ShellFreeLocalFileSystem.permission(ShellFreeLocalFileSystem.posix(permission))).isEqualTo(permission);
        }
    }

    @Test
    void statusesAndPermissionsAreTheOnesHadoopsShellReads(@TempDir java.nio.file.Path directory)
            throws Exception
    {
        Files.writeString(directory.resolve("verdicts.parquet"), "twelve bytes");
        Files.createDirectory(directory.resolve("dt=2018-11-02"));
        Files.createSymbolicLink(directory.resolve("latest"), directory.resolve("verdicts.parquet"));
        Configuration conf = new Configuration();
        FileSystem shellFree = new ShellFreeLocalFileSystem.Raw();
        shellFree.initialize(URI.create("file:///"), conf);
        FileSystem hadoop = new RawLocalFileSystem();
        hadoop.initialize(URI.create("file:///"), conf);
        Path root = new Path(directory.toUri());

        shellFree.setPermission(new Path(root, "verdicts.parquet"), new FsPermission((short) 0640));
        assertThat(Files.getPosixFilePermissions(directory.resolve("verdicts.parquet"))).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));

        assertSame(sorted(shellFree.listStatus(root)), sorted(hadoop.listStatus(root)));
        for (String name : new String[] {"verdicts.parquet", "dt=2018-11-02", "latest"}) {
            Path path = new Path(root, name);
            assertSame(new FileStatus[] {shellFree.getFileStatus(path)}, new FileStatus[] {hadoop.getFileStatus(path)});
        }
        for (String name : new String[] {"verdicts.parquet", "dt=2018-11-02", "latest"}) {
            // Hadoop's shell path reads a link only when given a path without its scheme: readlink of "file:/…" fails
            Path bare = Path.getPathWithoutSchemeAndAuthority(new Path(root, name));
            assertSame(new FileStatus[] {shellFree.getFileLinkStatus(bare)}, new FileStatus[] {hadoop.getFileLinkStatus(bare)});
        }
        FileStatus link = shellFree.getFileLinkStatus(new Path(root, "latest"));
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.getSymlink().toString()).isEqualTo(directory.resolve("verdicts.parquet").toString());
        assertThatThrownBy(() -> shellFree.getFileStatus(new Path(root, "missing"))).isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void sparkSettingsNameThisFileSystemForFilePaths()
            throws Exception
    {
        Configuration conf = new Configuration();
        ShellFreeLocalFileSystem.sparkSettings().forEach((key, value) -> {
            if (key.startsWith("spark.hadoop.")) {
                conf.set(key.substring("spark.hadoop.".length()), value);
            }
        });
        conf.setBoolean("fs.file.impl.disable.cache", true);
        assertThat(FileSystem.get(URI.create("file:///"), conf)).isInstanceOf(ShellFreeLocalFileSystem.class);
    }

    private static FileStatus[] sorted(FileStatus[] statuses)
    {
        FileStatus[] copy = statuses.clone();
        Arrays.sort(copy, Comparator.comparing(status -> status.getPath().getName()));
        return copy;
    }

    private static void assertSame(FileStatus[] actual, FileStatus[] expected)
    {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            FileStatus a = actual[i];
            FileStatus e = expected[i];
            assertThat(a.getPath()).as("path").isEqualTo(e.getPath().makeQualified(URI.create("file:///"), e.getPath()));
            assertThat(a.isDirectory()).as(e.getPath() + " is a directory").isEqualTo(e.isDirectory());
            assertThat(a.isSymlink()).as(e.getPath() + " is a link").isEqualTo(e.isSymlink());
            if (!e.isDirectory()) {
                assertThat(a.getLen()).as(e.getPath() + " length").isEqualTo(e.getLen());
            }
            assertThat(a.getModificationTime()).as(e.getPath() + " modified").isEqualTo(e.getModificationTime());
            assertThat(a.getPermission()).as(e.getPath() + " permission").isEqualTo(e.getPermission());
            assertThat(a.getOwner()).as(e.getPath() + " owner").isEqualTo(e.getOwner());
            assertThat(a.getGroup()).as(e.getPath() + " group").isEqualTo(e.getGroup());
        }
    }

    @Test
    void hadoopConfigurationNamesThisFileSystemForFilePaths()
            throws Exception
    {
        Configuration conf = ShellFreeLocalFileSystem.hadoopConfiguration();
        conf.setBoolean("fs.file.impl.disable.cache", true);
        assertThat(FileSystem.get(URI.create("file:///"), conf)).isInstanceOf(ShellFreeLocalFileSystem.class);
    }
}
