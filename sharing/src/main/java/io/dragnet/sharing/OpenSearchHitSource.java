package io.dragnet.sharing;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IndexNames;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestResponse;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Reads the published hits of each (topic, day) through its day alias, so an export sees exactly what analysts
 * see and never a half-written run. A day without a published alias has no hits. Documents are returned with
 * dotted field names whether they were stored flat or nested.
 */
public final class OpenSearchHitSource
        implements HitSource
{
    private static final int PAGE = 1000;

    private final OpenSearchClient client;

    public OpenSearchHitSource(OpenSearchClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public List<Map<String, Object>> read(Set<String> topics, LocalDate from, LocalDate to)
    {
        List<Map<String, Object>> hits = new ArrayList<>();
        for (String topic : new TreeSet<>(topics)) {
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                readAlias(IndexNames.dayAlias(topic, day), hits);
            }
        }
        return hits;
    }

    private void readAlias(String alias, List<Map<String, Object>> hits)
    {
        RestResponse first = OpenSearchRest.call(client, "POST", "/" + alias + "/_search?scroll=1m",
                Map.of("size", PAGE, "sort", List.of("_doc"), "query", Map.of("match_all", Map.of())));
        if (first.status() == 404) {
            return;
        }
        String scrollId = null;
        try {
            RestResponse page = first;
            while (true) {
                if (page.status() / 100 != 2) {
                    throw DragnetException.external("reading the hits of " + alias + " answered HTTP " + page.status(), null);
                }
                Map<String, Object> body = OpenSearchRest.parse(page.body());
                scrollId = (String) body.get("_scroll_id");
                List<?> pageHits = (List<?>) ((Map<?, ?>) body.get("hits")).get("hits");
                if (pageHits.isEmpty()) {
                    return;
                }
                for (Object hit : pageHits) {
                    Map<String, Object> flat = new LinkedHashMap<>();
                    flatten("", (Map<?, ?>) ((Map<?, ?>) hit).get("_source"), flat);
                    hits.add(flat);
                }
                page = OpenSearchRest.call(client, "POST", "/_search/scroll", Map.of("scroll", "1m", "scroll_id", scrollId));
            }
        }
        finally {
            if (scrollId != null) {
                // The id goes in the path: the SigV4 transport's HTTP client sends no body with DELETE.
                OpenSearchRest.call(client, "DELETE", "/_search/scroll/" + URLEncoder.encode(scrollId, StandardCharsets.UTF_8), null);
            }
        }
    }

    static void flatten(String prefix, Map<?, ?> source, Map<String, Object> into)
    {
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, into);
            }
            else {
                into.put(key, entry.getValue());
            }
        }
    }
}
