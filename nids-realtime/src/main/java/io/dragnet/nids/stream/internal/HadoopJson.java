package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.Json;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Small JSON files beside the lake (the lake's marks, compaction journals) on any Hadoop file system. */
final class HadoopJson
{
    private HadoopJson() {}

    /** Writes {@code value} to a hidden file beside {@code target}, then renames it over: readers see all of it or none. */
    static void write(FileSystem fs, Path target, Object value)
            throws IOException
    {
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(temp, true)) {
            out.write(Json.mapper().writeValueAsString(value).getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
            throw new IOException("rename of " + temp + " to " + target + " failed");
        }
    }

    static <T> T read(FileSystem fs, Path source, Class<T> type)
            throws IOException
    {
        try (InputStream in = fs.open(source)) {
            return Json.mapper().readValue(in, type);
        }
    }
}
