package io.dragnet.rules;

import java.net.URI;
import java.nio.file.Path;

/** Joining and normalizing the URIs of the workflow input ({@code file:///abs/path} or {@code s3://bucket/prefix}). */
public final class Locations
{
    private Locations() {}

    /** A URI for a location given as a URI or as a plain local path. */
    public static String normalize(String location)
    {
        if (location.startsWith("s3://") || location.startsWith("file:")) {
            return location.startsWith("file:") ? Path.of(URI.create(location)).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "") : trimSlash(location);
        }
        return Path.of(location).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }

    public static String join(String base, String... parts)
    {
        StringBuilder joined = new StringBuilder(trimSlash(base));
        for (String part : parts) {
            joined.append('/').append(part);
        }
        return joined.toString();
    }

    public static String trimSlash(String location)
    {
        String trimmed = location;
        while (trimmed.endsWith("/") && !trimmed.endsWith("://")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** The parent of a file URI ({@code s3://b/rules/a.yaml} → {@code s3://b/rules}). */
    public static String parent(String location)
    {
        String trimmed = trimSlash(location);
        return trimmed.substring(0, trimmed.lastIndexOf('/'));
    }

    /** Resolves {@code relative} (which may use ../) against a directory URI; absolute URIs and paths are kept. */
    public static String resolve(String directory, String relative)
    {
        if (relative.startsWith("s3://") || relative.startsWith("file:")) {
            return relative;
        }
        if (relative.startsWith("/")) {
            return Path.of(relative).toUri().toString();
        }
        URI base = URI.create(trimSlash(directory) + "/");
        return base.resolve(relative.replace(" ", "%20")).normalize().toString();
    }
}
