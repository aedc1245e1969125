package io.dragnet.sparkjobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;

import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The commit record of a directory output on an object store, the object {@value #NAME} inside the output: the
 * attempt prefix that holds the committed data and its files. It holds no time and no random id, so committing the
 * same data twice renders the same bytes.
 */
public record CommitManifest(String attempt, List<DataFile> files)
{
    public static final String NAME = "_DRAGNET_COMMIT";
    public static final String ATTEMPT_PREFIX = "_attempt-";

    /** Bytes of the content digest kept in an attempt's name (128 bits, 32 hex digits). */
    private static final int ATTEMPT_DIGEST_BYTES = 16;

    public record DataFile(String name, long size)
    {
        public DataFile
        {
            requireNonNull(name, "name is null");
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("data file name must be a plain name: '" + name + "'");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size of " + name + " is negative: " + size);
            }
        }
    }

    public CommitManifest
    {
        requireNonNull(attempt, "attempt is null");
        if (!attempt.startsWith(ATTEMPT_PREFIX) || attempt.contains("/")) {
            throw new IllegalArgumentException("attempt must be a name starting with " + ATTEMPT_PREFIX + ": '" + attempt + "'");
        }
        files = List.copyOf(requireNonNull(files, "files is null"));
    }

    /** The attempt named after the digest of its content, so the same content always lands in the same attempt. */
    public static String attemptName(byte[] contentDigest)
    {
        if (contentDigest.length < ATTEMPT_DIGEST_BYTES) {
            throw new IllegalArgumentException("content digest has " + contentDigest.length + " bytes, expected at least " + ATTEMPT_DIGEST_BYTES);
        }
        return ATTEMPT_PREFIX + HexFormat.of().formatHex(contentDigest, 0, ATTEMPT_DIGEST_BYTES);
    }

    /**
     * The committed name of the index-th data file: Spark's {@code part-00000-<job uuid>-c000.snappy.parquet} becomes
     * {@code part-00000.snappy.parquet}, dropping the job's random id and keeping the format's extensions.
     */
    public static String fileName(int index, String stagedName)
    {
        int dot = stagedName.indexOf('.');
        String extensions = dot < 0 ? "" : stagedName.substring(dot);
        return String.format("part-%05d%s", index, extensions);
    }

    /** Entries of an output directory that are attempts and not the committed one: left by a run that died before its commit or its clean-up. */
    public static List<String> abandonedAttempts(List<String> names, String committedAttempt)
    {
        return names.stream()
                .filter(name -> name.startsWith(ATTEMPT_PREFIX) && !name.equals(committedAttempt))
                .sorted()
                .toList();
    }

    /** Entries of the output directory once this manifest is committed that are neither it nor its attempt: older attempts, an older layout's files. */
    public List<String> obsolete(List<String> names)
    {
        return names.stream()
                .filter(name -> !name.equals(NAME) && !name.equals(attempt))
                .sorted()
                .toList();
    }

    /** Locations of the committed files inside the output directory {@code directory}. */
    public List<String> locations(String directory)
    {
        String prefix = Storage.child(directory, attempt);
        return files.stream().map(file -> Storage.child(prefix, file.name())).toList();
    }

    public String render()
    {
        return Json.write(this) + "\n";
    }

    public static CommitManifest parse(String json, String location)
    {
        try {
            return Json.mapper().readValue(json, CommitManifest.class);
        }
        catch (JsonProcessingException | IllegalArgumentException e) {
            throw DragnetException.external("commit manifest " + location + " is not readable: " + e.getMessage(), e);
        }
    }
}
