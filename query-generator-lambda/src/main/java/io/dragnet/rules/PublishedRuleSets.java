package io.dragnet.rules;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.storage.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Each topic's published rule set: the active rules of the last daily run that ran the topic in full, kept at
 * {@code <results>/rule-sets/<topic>.json}. A run whose rules folder does not account for every one of them (each must
 * be there and compile, with any status; a rule is retired by setting {@code status: disabled}) is partial for that
 * topic, and the topic runs into the sandbox, so a folder holding one researcher's rules never replaces the day the
 * topic's analysts read. The first run of a topic defines its set.
 */
public final class PublishedRuleSets
{
    /** @param rules the active rule ids, sorted */
    public record Entry(String topic, List<String> rules, String runId, String date)
    {
        public Entry
        {
            requireNonNull(topic, "topic is null");
            rules = List.copyOf(rules);
        }
    }

    private final ObjectStore store;
    private final String resultsLocation;

    public PublishedRuleSets(ObjectStore store, String resultsLocation)
    {
        this.store = requireNonNull(store, "store is null");
        this.resultsLocation = requireNonNull(resultsLocation, "resultsLocation is null");
    }

    public String location(String topic)
    {
        return Locations.join(resultsLocation, "rule-sets", topic + ".json");
    }

    public Optional<Entry> read(String topic)
    {
        return store.readIfPresent(location(topic)).map(content -> {
            try {
                return Json.mapper().readValue(content, Entry.class);
            }
            catch (IOException e) {
                throw DragnetException.user("published rule set " + location(topic) + " is not valid JSON ({topic, rules, runId, date}): " + e.getMessage());
            }
        });
    }

    /** For each topic of this folder that lacks part of its published rule set: the missing rule ids, sorted. */
    public Map<String, List<String>> missing(Map<String, Compilation.TopicRules> topics)
    {
        Map<String, List<String>> missing = new TreeMap<>();
        topics.forEach((topic, rules) -> read(topic).ifPresent(entry -> {
            List<String> absent = new ArrayList<>(entry.rules());
            absent.removeAll(rules.accounted());
            if (!absent.isEmpty()) {
                missing.put(topic, absent.stream().sorted().toList());
            }
        }));
        return missing;
    }

    /** Records the active rules of every topic the compilation ran in full (topics with no active rule are left as they are). */
    public void record(Compilation compilation, CompileContext context)
    {
        compilation.topics().forEach((topic, rules) -> {
            if (!compilation.sandboxTopics().contains(topic) && !rules.active().isEmpty()) {
                Entry entry = new Entry(topic, rules.active().stream().sorted().toList(), context.runId(), context.date().toString());
                store.write(location(topic), (Json.write(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }
}
