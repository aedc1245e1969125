package io.dragnet.rules.feeds;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.storage.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dragnet feeds fetch --feeds feeds.yaml [--into DIR]}: what the FetchFeeds Lambda does, on this machine. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download every feed whose refresh is due (conditional requests) into a new dated snapshot; a failed download keeps the previous snapshot. Exits 1 when any feed failed.")
public final class FeedsFetchCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--feeds", required = true, description = "The feeds file (feeds.yaml).")
    private Path feedsFile;

    @Option(names = "--into", description = "Snapshot folder (default: <home>/feeds/snapshots); rules read it when it is their feed folder's snapshots/.")
    private Path into;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for a server (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--home", description = "State folder (default: $DRAGNET_HOME or .dragnet).")
    private Path home;

    @Override
    public Integer call()
    {
        if (timeoutSeconds < 1) {
            throw DragnetException.user("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        String content;
        try {
            content = Files.readString(feedsFile);
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read the feeds file " + feedsFile + ": " + e.getMessage());
        }
        List<Feed> feeds = FeedsFile.parse(feedsFile.toString(), content);
        Path folder = into != null ? into : DragnetHome.fromOption(home).root().resolve("feeds").resolve(FeedSnapshots.SNAPSHOTS_FOLDER);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        FeedFetcher fetcher = new FeedFetcher(FeedFetcher.defaultClient(timeout), new FeedSnapshots(new LocalObjectStore(), folder.toAbsolutePath().toUri().toString()),
                Clock.systemUTC(), timeout);
        List<FeedFetcher.Outcome> outcomes = fetcher.fetch(feeds);
        PrintWriter out = spec.commandLine().getOut();
        outcomes.forEach(out::println);
        long failed = outcomes.stream().filter(outcome -> outcome.status() == FeedFetcher.Status.FAILED).count();
        out.println(outcomes.size() + " feeds, " + failed + " failed; snapshots in " + folder);
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
