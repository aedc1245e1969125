package io.dragnet.rules;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The only folders a rules folder may make the compiler read: the rules folder itself and the configured feed folders.
 * A path a rule names (an IoC file, a keyword list) is resolved against the rule file and must stay inside one of them:
 * {@code ../} that climbs out, absolute paths, {@code file:} and {@code s3://} URIs elsewhere, other schemes and symbolic
 * links whose target lies outside are refused. Local paths are checked after percent-decoding and normalizing, and
 * again on the real path, so neither {@code %2e%2e} nor a link inside the folder leads out.
 *
 * @param roots normalized URIs ({@code file:///…} or {@code s3://bucket/prefix}) without a trailing slash
 */
public record ReadableRoots(List<String> roots)
{
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    public ReadableRoots
    {
        roots = roots.stream().map(Locations::normalize).distinct().toList();
    }

    /**
     * The rules folder and the feed folders; with no feed folder configured, the {@code iocs} folder beside the rules
     * folder (the layout of {@code samples/}).
     */
    public static ReadableRoots of(String rulesRoot, List<String> feedLocations)
    {
        String rules = Locations.normalize(rulesRoot);
        List<String> feeds = feedLocations.isEmpty() ? List.of(Locations.join(Locations.parent(rules), "iocs")) : feedLocations;
        return new ReadableRoots(java.util.stream.Stream.concat(java.util.stream.Stream.of(rules), feeds.stream()).toList());
    }

    /** Where {@code written} (as a rule wrote it) leads from {@code ruleFile}, or why it is refused. */
    public record Resolution(String location, String refusal)
    {
        public Optional<String> allowed()
        {
            return Optional.ofNullable(location);
        }
    }

    public Resolution resolve(String ruleFile, String written)
    {
        requireNonNull(ruleFile, "ruleFile is null");
        requireNonNull(written, "written is null");
        String path = written.strip();
        if (path.isEmpty()) {
            return refused("an empty path");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        boolean hasScheme = SCHEME.matcher(path).find();
        if (hasScheme && !lower.startsWith("file:") && !lower.startsWith("s3://")) {
            return refused("'" + path + "', whose scheme is not file: or s3://");
        }
        String candidate;
        try {
            candidate = hasScheme ? path : path.startsWith("/") ? Path.of(path).toUri().toString() : Locations.resolve(Locations.parent(ruleFile), path);
        }
        catch (IllegalArgumentException e) {
            return refused("'" + path + "', which is not a valid path");
        }
        Optional<String> inside = candidate.startsWith("s3://") ? insideObjectStore(candidate) : insideLocalFolders(candidate);
        return inside.map(location -> new Resolution(location, null)).orElseGet(() -> refused("'" + path + "', which leads outside them"));
    }

    private Resolution refused(String what)
    {
        return new Resolution(null, "found " + what + "; expected a path inside the rules folder or a feed folder (" + String.join(", ", roots)
                + "), such as ../iocs/feed.csv");
    }

    private Optional<String> insideObjectStore(String candidate)
    {
        URI uri;
        try {
            uri = URI.create(candidate).normalize();
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String decoded = uri.getPath() == null ? "" : uri.getPath();
        if (decoded.contains("/../") || decoded.endsWith("/..") || decoded.contains("/./")) {
            return Optional.empty();
        }
        String location = uri.toString();
        return roots.stream().filter(root -> root.startsWith("s3://") && location.startsWith(root + "/")).findFirst().map(root -> location);
    }

    private Optional<String> insideLocalFolders(String candidate)
    {
        Path file;
        try {
            file = Path.of(URI.create(candidate)).toAbsolutePath().normalize();
        }
        catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
        for (String root : roots) {
            if (!root.startsWith("file:")) {
                continue;
            }
            Path folder = Path.of(URI.create(root)).toAbsolutePath().normalize();
            if (file.startsWith(folder) && !file.equals(folder) && realPathInside(file, folder)) {
                return Optional.of(file.toUri().toString());
            }
        }
        return Optional.empty();
    }

    /** A missing file passes (reading it fails with "does not exist"); an existing one must really be inside. */
    private static boolean realPathInside(Path file, Path folder)
    {
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            return true;
        }
        try {
            return file.toRealPath().startsWith(folder.toRealPath());
        }
        catch (IOException e) {
            return false;
        }
    }

    /** True when a file listed inside a root really lives there (a symbolic link in the folder may point anywhere). */
    public boolean contains(String location)
    {
        return (location.startsWith("s3://") ? insideObjectStore(location) : insideLocalFolders(location)).isPresent();
    }
}
