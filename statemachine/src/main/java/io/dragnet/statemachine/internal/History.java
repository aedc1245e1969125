package io.dragnet.statemachine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Execution history events in the shape of GetExecutionHistory: {timestamp, type, id, previousEventId, <type>EventDetails}. */
public final class History
{
    private final Clock clock;
    private final List<JsonNode> events = new ArrayList<>();

    public History(Clock clock)
    {
        this.clock = clock;
    }

    /** Appends an event after {@code previousEventId} and returns its id. */
    public synchronized long add(long previousEventId, String type, ObjectNode details)
    {
        long id = events.size() + 1;
        ObjectNode event = JsonPaths.object();
        event.put("timestamp", Instant.now(clock).toString());
        event.put("type", type);
        event.put("id", id);
        event.put("previousEventId", previousEventId);
        if (details != null) {
            event.set(detailsField(type), details);
        }
        events.add(event);
        return id;
    }

    /** The id of the newest event, 0 when there is none. */
    public synchronized long lastId()
    {
        return events.size();
    }

    public synchronized List<JsonNode> events()
    {
        return List.copyOf(events);
    }

    private static String detailsField(String type)
    {
        String base = type;
        if (type.endsWith("StateEntered")) {
            base = "StateEntered";
        }
        else if (type.endsWith("StateExited")) {
            base = "StateExited";
        }
        return Character.toLowerCase(base.charAt(0)) + base.substring(1) + "EventDetails";
    }
}
