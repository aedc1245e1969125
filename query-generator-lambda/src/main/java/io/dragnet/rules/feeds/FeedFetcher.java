package io.dragnet.rules.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.contracts.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * FetchFeeds in plain Java: for each feed whose refresh is due, a conditional GET ({@code If-None-Match} with the last
 * ETag, {@code If-Modified-Since} with the last Last-Modified); a new body is checked (complete, non-empty, JSON where
 * the format is JSON) and kept as a new dated snapshot. A failure (timeout, an HTTP error, a truncated or malformed
 * body) writes nothing: the previous snapshot stays in use and the report says so. TAXII 2.1 collections are read page
 * by page ({@code more}/{@code next}) into one STIX bundle. A MISP feed is its {@code manifest.json} (fetched
 * conditionally) and the {@code <uuid>.json} event files it lists, kept as one MISP file
 * {@code {"manifest": {...}, "response": [{"Event": ...}, ...]}}; an event whose manifest timestamp did not change is
 * taken from the previous snapshot instead of being downloaded again, and any event that cannot be fetched fails the
 * whole feed.
 */
public final class FeedFetcher
{
    private static final String TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1";
    private static final int MAX_TAXII_PAGES = 1000;
    private static final String MISP_MANIFEST = "manifest.json";
    private static final Pattern MISP_EVENT_UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public enum Status { FETCHED, NOT_MODIFIED, FRESH, FAILED }

    /**
     * @param snapshot the snapshot in use after this fetch (null when the feed has none yet)
     * @param detail why it failed, or what was done
     */
    public record Outcome(String feed, Status status, String snapshot, String detail)
    {
        public Outcome
        {
            requireNonNull(feed, "feed is null");
            requireNonNull(status, "status is null");
        }

        @Override
        public String toString()
        {
            return feed + ": " + status + (detail == null ? "" : " (" + detail + ")") + (snapshot == null ? "; no snapshot yet" : "; in use: " + snapshot);
        }
    }

    private final HttpClient client;
    private final FeedSnapshots snapshots;
    private final Clock clock;
    private final Duration timeout;

    public FeedFetcher(HttpClient client, FeedSnapshots snapshots, Clock clock, Duration timeout)
    {
        this.client = requireNonNull(client, "client is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** A client that follows redirects within HTTPS and never to HTTP from HTTPS, with a connect timeout. */
    public static HttpClient defaultClient(Duration timeout)
    {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public List<Outcome> fetch(List<Feed> feeds)
    {
        List<Outcome> outcomes = new ArrayList<>();
        for (Feed feed : feeds) {
            outcomes.add(fetch(feed));
        }
        return List.copyOf(outcomes);
    }

    public Outcome fetch(Feed feed)
    {
        Optional<FeedSnapshots.State> state = snapshots.state(feed.name());
        String previous = state.map(FeedSnapshots.State::snapshot).orElse(null);
        Instant now = clock.instant();
        if (state.isPresent() && Instant.parse(state.get().checkedAt()).plus(feed.refresh()).isAfter(now)) {
            return new Outcome(feed.name(), Status.FRESH, previous, "checked at " + state.get().checkedAt() + ", refresh every " + feed.refresh());
        }
        try {
            Download download = switch (feed.format()) {
                case TAXII -> taxii(feed);
                case MISP_MANIFEST -> mispFeed(feed, state);
                case CSV, TEXT, STIX -> conditionalGet(feed.url(), state);
            };
            if (download.notModified()) {
                snapshots.checked(feed.name(), state.orElseThrow(), now);
                return new Outcome(feed.name(), Status.NOT_MODIFIED, previous, "HTTP 304");
            }
            Optional<String> invalid = invalid(feed, download.body());
            if (invalid.isPresent()) {
                return new Outcome(feed.name(), Status.FAILED, previous, invalid.get() + "; the previous snapshot stays in use");
            }
            String kept = snapshots.keep(feed, download.body(), download.etag(), download.lastModified(), now);
            return new Outcome(feed.name(), Status.FETCHED, kept, download.body().length + " bytes");
        }
        catch (HttpTimeoutException e) {
            return new Outcome(feed.name(), Status.FAILED, previous, "no answer from " + hostOf(feed.url()) + " within " + timeout + "; the previous snapshot stays in use");
        }
        catch (IOException e) {
            return new Outcome(feed.name(), Status.FAILED, previous, "download from " + hostOf(feed.url()) + " failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the previous snapshot stays in use");
        }
        catch (HttpStatusException e) {
            return new Outcome(feed.name(), Status.FAILED, previous, e.getMessage() + "; the previous snapshot stays in use");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(feed.name(), Status.FAILED, previous, "interrupted; the previous snapshot stays in use");
        }
    }

    private record Download(byte[] body, String etag, String lastModified, boolean notModified) {}

    /** An HTTP status other than 200 or 304; the message names the host and status, never the body. */
    private static final class HttpStatusException
            extends Exception
    {
        HttpStatusException(String message)
        {
            super(message);
        }
    }

    /** A GET with the validators of the last download, if any. */
    private Download conditionalGet(URI url, Optional<FeedSnapshots.State> state)
            throws IOException, InterruptedException, HttpStatusException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
        state.map(FeedSnapshots.State::etag).ifPresent(etag -> request.header("If-None-Match", etag));
        state.map(FeedSnapshots.State::lastModified).ifPresent(modified -> request.header("If-Modified-Since", modified));
        HttpResponse<byte[]> response = send(request.build());
        if (response.statusCode() == 304 && state.isPresent()) {
            return new Download(null, null, null, true);
        }
        if (response.statusCode() != 200) {
            throw new HttpStatusException("HTTP " + response.statusCode() + " from " + hostOf(url));
        }
        checkLength(response);
        return new Download(response.body(), response.headers().firstValue("ETag").orElse(null), response.headers().firstValue("Last-Modified").orElse(null), false);
    }

    /**
     * A MISP feed: the manifest (conditionally), then every event it lists, sorted by UUID. The feed's URL is the feed
     * folder or its manifest.json; events are {@code <folder>/<uuid>.json}.
     */
    private Download mispFeed(Feed feed, Optional<FeedSnapshots.State> state)
            throws IOException, InterruptedException, HttpStatusException
    {
        String url = feed.url().toString();
        String folder = url.endsWith("/" + MISP_MANIFEST) ? url.substring(0, url.length() - MISP_MANIFEST.length()) : url.endsWith("/") ? url : url + "/";
        Download manifestDownload = conditionalGet(URI.create(folder + MISP_MANIFEST), state);
        if (manifestDownload.notModified()) {
            return manifestDownload;
        }
        JsonNode manifest = jsonOf(manifestDownload.body(), "the MISP manifest from " + hostOf(feed.url()));
        if (!manifest.isObject()) {
            throw new HttpStatusException("the MISP manifest from " + hostOf(feed.url()) + " is not a map of event UUIDs to events");
        }
        JsonNode previous = previousMispSnapshot(state);
        ObjectNode snapshot = Json.mapper().createObjectNode();
        ArrayNode events = Json.mapper().createArrayNode();
        List<String> uuids = new ArrayList<>();
        manifest.fieldNames().forEachRemaining(uuids::add);
        Collections.sort(uuids);
        for (String uuid : uuids) {
            if (!MISP_EVENT_UUID.matcher(uuid).matches()) {
                throw new HttpStatusException("the MISP manifest from " + hostOf(feed.url()) + " lists an event that is not a UUID; expected <uuid>: {...} entries");
            }
            String timestamp = manifest.path(uuid).path("timestamp").asText("");
            Optional<JsonNode> unchanged = previousEvent(previous, uuid, timestamp);
            if (unchanged.isPresent()) {
                events.add(unchanged.get());
                continue;
            }
            URI eventUrl = URI.create(folder + uuid + ".json");
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(eventUrl).timeout(timeout).GET().build());
            if (response.statusCode() != 200) {
                throw new HttpStatusException("HTTP " + response.statusCode() + " from " + hostOf(feed.url()) + " for MISP event " + uuid);
            }
            checkLength(response);
            JsonNode event = jsonOf(response.body(), "MISP event " + uuid + " from " + hostOf(feed.url()));
            if (!event.path("Event").isObject()) {
                throw new HttpStatusException("MISP event " + uuid + " from " + hostOf(feed.url()) + " is not {\"Event\": {...}}");
            }
            events.add(event);
        }
        snapshot.set("manifest", manifest);
        snapshot.set("response", events);
        return new Download(Json.mapper().writeValueAsBytes(snapshot), manifestDownload.etag(), manifestDownload.lastModified(), false);
    }

    /** The previous snapshot of a MISP feed, or null when there is none (or it cannot be read as one). */
    private JsonNode previousMispSnapshot(Optional<FeedSnapshots.State> state)
    {
        Optional<byte[]> content = state.map(FeedSnapshots.State::snapshot).flatMap(snapshots::content);
        if (content.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readTree(content.get());
        }
        catch (IOException e) {
            return null;
        }
    }

    /** The event of the previous snapshot when the manifest lists it with the same timestamp. */
    private static Optional<JsonNode> previousEvent(JsonNode previous, String uuid, String timestamp)
    {
        if (previous == null || timestamp.isEmpty() || !timestamp.equals(previous.path("manifest").path(uuid).path("timestamp").asText(null))) {
            return Optional.empty();
        }
        List<String> uuids = new ArrayList<>();
        previous.path("manifest").fieldNames().forEachRemaining(uuids::add);
        Collections.sort(uuids);
        JsonNode event = previous.path("response").path(uuids.indexOf(uuid));
        return event.path("Event").isObject() ? Optional.of(event) : Optional.empty();
    }

    private static JsonNode jsonOf(byte[] body, String what)
            throws HttpStatusException
    {
        try {
            return Json.mapper().readTree(body);
        }
        catch (IOException e) {
            throw new HttpStatusException(what + " is not complete JSON (truncated or malformed)");
        }
    }

    /** The pages of a TAXII 2.1 collection's objects endpoint, as one STIX 2.1 bundle. */
    private Download taxii(Feed feed)
            throws IOException, InterruptedException, HttpStatusException
    {
        ArrayNode objects = Json.mapper().createArrayNode();
        URI page = feed.url();
        for (int pages = 0; pages < MAX_TAXII_PAGES; pages++) {
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(page).timeout(timeout).header("Accept", TAXII_MEDIA_TYPE).GET().build());
            if (response.statusCode() != 200) {
                throw new HttpStatusException("HTTP " + response.statusCode() + " from " + hostOf(feed.url()) + " (TAXII page " + (pages + 1) + ")");
            }
            checkLength(response);
            JsonNode envelope;
            try {
                envelope = Json.mapper().readTree(response.body());
            }
            catch (IOException e) {
                throw new HttpStatusException("TAXII page " + (pages + 1) + " from " + hostOf(feed.url()) + " is not JSON");
            }
            envelope.path("objects").forEach(objects::add);
            if (!envelope.path("more").asBoolean(false) || !envelope.path("next").isTextual()) {
                ObjectNode bundle = Json.mapper().createObjectNode();
                bundle.put("type", "bundle");
                bundle.put("id", "bundle--" + UUID.nameUUIDFromBytes(objects.toString().getBytes(StandardCharsets.UTF_8)));
                bundle.set("objects", objects);
                return new Download(Json.mapper().writeValueAsBytes(bundle), null, null, false);
            }
            String separator = feed.url().getRawQuery() == null ? "?" : "&";
            page = URI.create(feed.url() + separator + "next=" + java.net.URLEncoder.encode(envelope.path("next").asText(), StandardCharsets.UTF_8));
        }
        throw new HttpStatusException("TAXII collection at " + hostOf(feed.url()) + " has more than " + MAX_TAXII_PAGES + " pages");
    }

    /**
     * The whole exchange, body included, within the timeout: the request timeout alone covers only the wait for the
     * headers, and a server that stops sending halfway would hold the fetch forever.
     */
    private HttpResponse<byte[]> send(HttpRequest request)
            throws IOException, InterruptedException
    {
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeout);
        }
        catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** A body shorter than its Content-Length was cut off (the JDK client does not always say so). */
    private static void checkLength(HttpResponse<byte[]> response)
            throws IOException
    {
        Optional<Long> declared = response.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() != response.body().length) {
            throw new IOException("truncated body: " + response.body().length + " of " + declared.get() + " bytes");
        }
    }

    private static Optional<String> invalid(Feed feed, byte[] body)
    {
        if (body.length == 0) {
            return Optional.of("empty body from " + hostOf(feed.url()));
        }
        if (feed.format().iocFormat().equals("stix")) {
            try {
                JsonNode root = Json.mapper().readTree(body);
                if (!"bundle".equals(root.path("type").asText())) {
                    return Optional.of("body from " + hostOf(feed.url()) + " is not a STIX 2.1 bundle");
                }
            }
            catch (IOException e) {
                return Optional.of("body from " + hostOf(feed.url()) + " is not complete JSON (truncated or malformed)");
            }
        }
        return Optional.empty();
    }

    private static String hostOf(URI url)
    {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
