package io.dragnet.rules.feeds;

import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.Problem;
import io.dragnet.rules.internal.RuleParser;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.SourcePosition;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code feeds.yaml}:
 * <pre>
 * version: 1
 * feeds:
 *   feodo:
 *     url: https://feodotracker.abuse.ch/downloads/ipblocklist.csv
 *     format: csv          # csv | text | stix | taxii | misp-manifest
 *     refresh: 1h          # s, m, h or d; default 1d
 * </pre>
 * Every problem is reported at its {@code file:line:column} with what was expected; a file with any problem yields no feeds.
 */
public final class FeedsFile
{
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> TOP_KEYS = Set.of("version", "feeds");
    private static final Set<String> FEED_KEYS = Set.of("url", "format", "refresh");
    private static final Duration DEFAULT_REFRESH = Duration.ofDays(1);

    private FeedsFile() {}

    /** The feeds, or a user error listing every problem of the file. */
    public static List<Feed> parse(String file, String content)
    {
        List<Problem> problems = new ArrayList<>();
        List<Feed> feeds = parse(file, content, problems);
        if (!problems.isEmpty()) {
            throw DragnetException.user(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + file + ":\n  "
                    + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
        }
        return feeds;
    }

    static List<Feed> parse(String file, String content, List<Problem> problems)
    {
        List<YamlNode> documents = YamlReader.readDocuments(file, content, problems::add);
        if (!problems.isEmpty()) {
            return List.of();
        }
        if (documents.size() != 1 || !(documents.get(0) instanceof YamlNode.Mapping root)) {
            problems.add(new Problem(SourcePosition.ofFile(file), null, "expected one YAML document: a map with 'version: 1' and 'feeds'"));
            return List.of();
        }
        checkKeys(root, TOP_KEYS, "feeds file", problems);
        Optional<YamlNode.Entry> version = root.entry("version");
        if (version.isEmpty() || !(version.get().value() instanceof YamlNode.Scalar scalar) || !scalar.text().equals("1")) {
            problems.add(new Problem(version.map(entry -> entry.value().position()).orElse(root.position()), null, "expected 'version: 1'"));
        }
        Optional<YamlNode.Entry> feedsEntry = root.entry("feeds");
        if (feedsEntry.isEmpty() || !(feedsEntry.get().value() instanceof YamlNode.Mapping feedsMap) || feedsMap.entries().isEmpty()) {
            problems.add(new Problem(feedsEntry.map(entry -> entry.value().position()).orElse(root.position()), null,
                    "expected 'feeds': a map of feed names to {url, format, refresh}"));
            return List.of();
        }
        List<Feed> feeds = new ArrayList<>();
        for (YamlNode.Entry entry : feedsMap.entries()) {
            feed(entry, problems).ifPresent(feeds::add);
        }
        return problems.isEmpty() ? List.copyOf(feeds) : List.of();
    }

    private static Optional<Feed> feed(YamlNode.Entry entry, List<Problem> problems)
    {
        String name = entry.name();
        int before = problems.size();
        if (!NAME.matcher(name).matches()) {
            problems.add(new Problem(entry.key().position(), null, "feed name '" + name + "' is not allowed; expected lowercase letters, digits, '-' or '_' (at most 63)"));
        }
        if (!(entry.value() instanceof YamlNode.Mapping body)) {
            problems.add(new Problem(entry.value().position(), null, "feed " + name + " is " + entry.value().describe() + "; expected a map with url, format and refresh"));
            return Optional.empty();
        }
        checkKeys(body, FEED_KEYS, "feed " + name, problems);
        URI url = body.entry("url").map(urlEntry -> url(name, urlEntry, problems)).orElseGet(() -> {
            problems.add(new Problem(body.position(), null, "feed " + name + " has no 'url'; expected an http:// or https:// URL"));
            return null;
        });
        FeedFormat format = body.entry("format").map(formatEntry -> {
            String keyword = text(formatEntry);
            Optional<FeedFormat> known = FeedFormat.of(keyword);
            if (known.isEmpty()) {
                problems.add(new Problem(formatEntry.value().position(), null, "feed " + name + ": format '" + keyword + "'; expected one of " + FeedFormat.keywords()));
            }
            return known.orElse(null);
        }).orElseGet(() -> {
            problems.add(new Problem(body.position(), null, "feed " + name + " has no 'format'; expected one of " + FeedFormat.keywords()));
            return null;
        });
        Duration refresh = body.entry("refresh").map(refreshEntry -> {
            Optional<Duration> parsed = RuleParser.unitDuration(text(refreshEntry)).filter(duration -> !duration.isZero());
            if (parsed.isEmpty()) {
                problems.add(new Problem(refreshEntry.value().position(), null, "feed " + name + ": refresh '" + text(refreshEntry)
                        + "'; expected a positive number with s, m, h or d, such as 15m or 1d"));
            }
            return parsed.orElse(null);
        }).orElse(DEFAULT_REFRESH);
        if (problems.size() > before || url == null || format == null || refresh == null) {
            return Optional.empty();
        }
        return Optional.of(new Feed(name, url, format, refresh, entry.key().position()));
    }

    private static URI url(String name, YamlNode.Entry entry, List<Problem> problems)
    {
        String text = text(entry);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getUserInfo() == null) {
                return uri;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        problems.add(new Problem(entry.value().position(), null, "feed " + name + ": url is not an http:// or https:// URL with a host (and no user:password);"
                + " expected e.g. https://feodotracker.abuse.ch/downloads/ipblocklist.csv"));
        return null;
    }

    private static String text(YamlNode.Entry entry)
    {
        return entry.value() instanceof YamlNode.Scalar scalar ? scalar.text() : entry.value().describe();
    }

    private static void checkKeys(YamlNode.Mapping mapping, Set<String> allowed, String what, List<Problem> problems)
    {
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!allowed.contains(entry.name())) {
                problems.add(new Problem(entry.key().position(), null, "unknown key '" + entry.name() + "' in " + what + "; expected one of " + allowed.stream().sorted().toList()));
            }
        }
    }
}
