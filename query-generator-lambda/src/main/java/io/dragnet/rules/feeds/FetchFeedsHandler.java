package io.dragnet.rules.feeds;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.ObjectStore;
import io.dragnet.storage.ObjectStores;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The FetchFeeds Lambda: input {@code {feedsFile, snapshotsLocation, timeoutSeconds?}} (URIs: s3:// on AWS, file://
 * locally), output {@code {outcomes: [...], failed}}. Thin: it reads the feeds file, delegates to {@link FeedFetcher}
 * and maps the outcomes. The S3 client is built on first use; nothing time-dependent is captured at init.
 */
public final class FetchFeedsHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    private final ObjectStore store;
    private final Clock clock;

    public FetchFeedsHandler()
    {
        this(S3Client::create, Clock.systemUTC());
    }

    public FetchFeedsHandler(Supplier<S3Client> s3, Clock clock)
    {
        this.store = ObjectStores.localAndS3(requireNonNull(s3, "s3 is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        String feedsFile = required(input, "feedsFile");
        String snapshots = required(input, "snapshotsLocation");
        Duration timeout = Duration.ofSeconds(input.get("timeoutSeconds") == null ? DEFAULT_TIMEOUT_SECONDS : Integer.parseInt(input.get("timeoutSeconds").toString()));
        List<Feed> feeds = FeedsFile.parse(feedsFile, new String(store.read(feedsFile), StandardCharsets.UTF_8));
        List<FeedFetcher.Outcome> outcomes = new FeedFetcher(FeedFetcher.defaultClient(timeout), new FeedSnapshots(store, snapshots), clock, timeout).fetch(feeds);
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("outcomes", outcomes.stream().map(outcome -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("feed", outcome.feed());
            map.put("status", outcome.status().name());
            map.put("snapshot", outcome.snapshot());
            map.put("detail", outcome.detail());
            return map;
        }).toList());
        output.put("failed", outcomes.stream().filter(outcome -> outcome.status() == FeedFetcher.Status.FAILED).map(FeedFetcher.Outcome::toString).toList());
        return output;
    }

    private static String required(Map<String, Object> input, String key)
    {
        Object value = input == null ? null : input.get(key);
        if (value == null || value.toString().isBlank()) {
            throw DragnetException.user("FetchFeeds input needs '" + key + "'; found keys " + (input == null ? "none" : input.keySet()));
        }
        return value.toString();
    }
}
