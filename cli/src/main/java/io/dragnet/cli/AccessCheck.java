package io.dragnet.cli;

import io.dragnet.access.AccessPolicy;
import io.dragnet.access.cognito.CognitoLocal;
import io.dragnet.access.cognito.LocalSignIn;
import io.dragnet.access.gateway.TokenGateway;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.contracts.Json;
import io.dragnet.storage.OwnerOnly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks OpenSearch, as each group of the access policy (its demo user signed in to the local Cognito user pool), what
 * it can see of each topic's day alias and of the run ledger, through the token gateway as every analyst's request goes:
 * a document count, or the HTTP status that refused it.
 * The ID tokens are saved so an analyst can reuse them with curl.
 */
final class AccessCheck
{
    /** What one group saw: target (topic or ledger) → count, or "denied (403)". */
    record GroupView(String group, Path tokenFile, Map<String, String> seen) {}

    private AccessCheck() {}

    static List<GroupView> run(DragnetHome home, OpenSearchConnection connection, AccessPolicy policy, List<String> topics, LocalDate day)
    {
        Path tokens = home.root().resolve("tokens");
        List<GroupView> views = new ArrayList<>();
        try (CognitoLocal server = CognitoLocal.start(home); TokenGateway gateway = TokenGateway.start(home, connection)) {
            LocalSignIn signIn = new LocalSignIn(home, server);
            for (String group : new TreeMap<>(policy.groups()).keySet()) {
                String token = signIn.idToken(LocalSignIn.DEMO_PREFIX + group);
                Path tokenFile = saveToken(tokens, group, token);
                RestCaller caller = RestCaller.withBearerToken(gateway.connection(), token);
                Map<String, String> seen = new LinkedHashMap<>();
                for (String topic : topics) {
                    seen.put(topic, count(caller, IndexNames.dayAlias(topic, day)));
                }
                seen.put("ledger", count(caller, IndexNames.RUNS_INDEX));
                views.add(new GroupView(group, tokenFile, seen));
            }
        }
        return views;
    }

    private static String count(RestCaller caller, String index)
    {
        RestResponse response = caller.get("/" + index + "/_count");
        if (response.status() == 200) {
            try {
                return Json.mapper().readTree(response.body()).path("count").asText("?");
            }
            catch (IOException e) {
                return "unreadable answer";
            }
        }
        if (response.status() == 404) {
            return "no index";
        }
        return "denied (" + response.status() + ")";
    }

    private static Path saveToken(Path directory, String group, String token)
    {
        try {
            OwnerOnly.createDirectories(directory);
            Path file = directory.resolve(group + ".jwt");
            Files.deleteIfExists(file);
            Files.createFile(file, OwnerOnly.fileAttribute());
            Files.writeString(file, token);
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot save token for " + group + ": " + e.getMessage(), e);
        }
    }
}
