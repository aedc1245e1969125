package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Prints an execution history as a readable timeline: offset, event, state, and the error where there is one. */
public final class Timeline
{
    private static final Set<String> SHOWN_SUFFIXES = Set.of("StateEntered", "TaskFailed", "TaskTimedOut", "MapStateFailed",
            "ParallelStateFailed", "ExecutionStarted", "ExecutionSucceeded", "ExecutionFailed", "MapIterationFailed");

    private Timeline() {}

    public static void print(List<JsonNode> events, PrintWriter out)
    {
        if (events.isEmpty()) {
            return;
        }
        Instant start = Instant.parse(events.get(0).get("timestamp").asText());
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            if (SHOWN_SUFFIXES.stream().noneMatch(type::endsWith)) {
                continue;
            }
            Duration offset = Duration.between(start, Instant.parse(event.get("timestamp").asText()));
            String name = event.path("stateEnteredEventDetails").path("name").asText("");
            String error = "";
            for (String details : List.of("taskFailedEventDetails", "taskTimedOutEventDetails", "executionFailedEventDetails",
                    "mapStateFailedEventDetails", "parallelStateFailedEventDetails")) {
                if (event.has(details)) {
                    error = event.get(details).path("error").asText("") + ": " + firstLine(event.get(details).path("cause").asText(""));
                }
            }
            if (type.equals("MapIterationFailed")) {
                name = "iteration " + event.path("mapIterationFailedEventDetails").path("index").asText();
            }
            out.printf("  %8.3fs  %-26s %-30s %s%n", offset.toMillis() / 1000.0, type, name, error);
        }
        out.flush();
    }

    private static String firstLine(String text)
    {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
}
