package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Puts a directory output, built in a staging directory, in place so that readers see the old or the new output,
 * never a mix, and a run killed at any step leaves the old output readable.
 *
 * <p>On local files and HDFS a directory rename is atomic: the output is swapped in by
 * {@link Storage#replaceDirectory}. On object stores ({@link Storage#OBJECT_STORE_SCHEMES}) it is not, so an output
 * {@code L} is committed in three steps: the staged files move into an attempt prefix {@code L/_attempt-<digest>/}
 * (invisible to Spark and Hadoop, which skip {@code _} names), one PUT of the manifest {@code L/}{@value
 * CommitManifest#NAME} commits them, and everything else in {@code L} is deleted. Attempts not named by the manifest
 * are deleted again before the next commit, so a kill between any two steps is harmless. Readers resolve an output
 * through {@link #readableLocations}.
 *
 * <p>The attempt is named by a SHA-256 of the files' committed names, sizes and bytes, and the files get fixed names
 * ({@code part-00000.snappy.parquet}), so the committed objects and the manifest hold no clock, no random id and no
 * attempt counter: a re-run that produces the same bytes commits byte-identical objects (it finds them committed
 * already and writes nothing), and a run with different content can never overwrite the committed attempt.
 */
public final class DirectoryCommit
{
    private final Storage storage;

    public DirectoryCommit(Storage storage)
    {
        this.storage = requireNonNull(storage, "storage is null");
    }

    /** Moves the data files of {@code staged} into place as the output at {@code target}; {@code staged} is gone afterwards. */
    public void commit(String staged, String target)
    {
        if (!Storage.isObjectStore(target)) {
            storage.replaceDirectory(staged, target);
            return;
        }
        Optional<CommitManifest> committed = manifest(target);
        deleteAll(target, CommitManifest.abandonedAttempts(storage.listNames(target), committed.map(CommitManifest::attempt).orElse(null)));

        List<FileStatus> stagedFiles = storage.listDataFiles(staged);
        List<CommitManifest.DataFile> files = new ArrayList<>();
        for (int i = 0; i < stagedFiles.size(); i++) {
            files.add(new CommitManifest.DataFile(CommitManifest.fileName(i, stagedFiles.get(i).getPath().getName()), stagedFiles.get(i).getLen()));
        }
        CommitManifest next = new CommitManifest(CommitManifest.attemptName(digest(stagedFiles, files)), files);
        if (committed.isEmpty() || !committed.get().equals(next)) {
            List<String> locations = next.locations(target);
            for (int i = 0; i < stagedFiles.size(); i++) {
                storage.moveFile(stagedFiles.get(i).getPath(), locations.get(i));
            }
            storage.write(manifestLocation(target), next.render().getBytes(StandardCharsets.UTF_8));
        }
        deleteAll(target, next.obsolete(storage.listNames(target)));
        storage.delete(staged);
    }

    /**
     * What to hand to {@code spark.read()} for the output at {@code location}: the committed files when it has a
     * manifest, else the directory itself (the rename layout of local files and HDFS).
     */
    public List<String> readableLocations(String location)
    {
        return manifest(location).map(manifest -> manifest.locations(location)).orElse(List.of(location));
    }

    public Optional<CommitManifest> manifest(String location)
    {
        String manifest = manifestLocation(location);
        if (!storage.exists(manifest)) {
            return Optional.empty();
        }
        return Optional.of(CommitManifest.parse(new String(storage.read(manifest), StandardCharsets.UTF_8), manifest));
    }

    private static String manifestLocation(String location)
    {
        return Storage.child(location, CommitManifest.NAME);
    }

    private void deleteAll(String directory, List<String> names)
    {
        names.forEach(name -> storage.delete(Storage.child(directory, name)));
    }

    private byte[] digest(List<FileStatus> stagedFiles, List<CommitManifest.DataFile> files)
    {
        MessageDigest digest = sha256();
        for (int i = 0; i < files.size(); i++) {
            CommitManifest.DataFile file = files.get(i);
            byte[] name = file.name().getBytes(StandardCharsets.UTF_8);
            // length-prefixed fields, so no two file lists feed the digest the same bytes
            digest.update(ByteBuffer.allocate(Integer.BYTES + name.length + Long.BYTES).putInt(name.length).put(name).putLong(file.size()).array());
            Path path = stagedFiles.get(i).getPath();
            try (InputStream in = storage.fileSystem(path).open(path); OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                in.transferTo(out);
            }
            catch (IOException e) {
                throw DragnetException.external("cannot read " + path, e);
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new DragnetException(DragnetException.Category.INTERNAL, "the JDK has no SHA-256", e);
        }
    }
}
