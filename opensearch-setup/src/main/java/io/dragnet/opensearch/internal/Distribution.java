package io.dragnet.opensearch.internal;

import io.dragnet.contracts.DragnetException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The OpenSearch and security-plugin zips as Maven Central publishes them; {@code mvn install} of opensearch-setup
 * brings them into the local repository (they are provided-scope dependencies of this module).
 */
public final class Distribution
{
    private Distribution() {}

    public static Path openSearchZip(String version)
    {
        return artifact("org/opensearch/distribution/integ-test-zip/opensearch/" + version + "/opensearch-" + version + ".zip");
    }

    public static Path securityPluginZip(String version)
    {
        return artifact("org/opensearch/plugin/opensearch-security/" + version + "/opensearch-security-" + version + ".zip");
    }

    private static Path artifact(String relative)
    {
        String configured = System.getProperty("maven.repo.local");
        Path repository = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path file = repository.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw DragnetException.user("missing " + file + ": expected the Maven artifact there; run `mvn -B -pl opensearch-setup install` once to download it");
        }
        return file;
    }

    /** Unzips into target, dropping the archive's single top folder, and marks {@code bin/} scripts executable. */
    public static void unzip(Path zip, Path target)
    {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path destination = target.resolve(name.substring(slash + 1)).normalize();
                if (!destination.startsWith(target)) {
                    throw new IOException("zip entry escapes the target folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
                if (destination.getParent().getFileName().toString().equals("bin")) {
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + target, e);
        }
    }
}
