package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How a local daily run ended.
 *
 * @param status SUCCEEDED, FAILED, TIMED_OUT or ABORTED
 * @param output the execution output (null when it failed)
 * @param error the error that failed it (null when it succeeded)
 * @param historyFile {@code <results>/executions/<executionName>.json}
 * @param clusterId the local EMR cluster it created, null when none was (no jobs, or a failure before CreateCluster)
 * @param cleanedUpClusters clusters that the cleanup of a FAILED, TIMED_OUT or ABORTED execution terminated (the workflow could not)
 * @param leakedClusters clusters still running after the workflow and its cleanup, terminated by the local safety net; always empty unless there is a bug
 */
public record ExecutionResult(
        String executionName,
        String status,
        JsonNode output,
        String error,
        String cause,
        Path historyFile,
        String clusterId,
        List<String> cleanedUpClusters,
        List<String> leakedClusters)
{
    public ExecutionResult
    {
        requireNonNull(executionName, "executionName is null");
        requireNonNull(status, "status is null");
        requireNonNull(historyFile, "historyFile is null");
        cleanedUpClusters = List.copyOf(cleanedUpClusters);
        leakedClusters = List.copyOf(leakedClusters);
    }

    public boolean succeeded()
    {
        return status.equals("SUCCEEDED");
    }

    /**
     * What the researcher asked for that did not run, as the execution output carries it ({@code problems}: broken rules
     * with their positions, skipped sources, a day without data; then a Share step that failed or a scheduled export it
     * refused); empty when the output has none or the run failed.
     */
    public List<String> problems()
    {
        if (output == null) {
            return List.of();
        }
        List<String> problems = new java.util.ArrayList<>();
        output.path("problems").forEach(problem -> problems.add(problem.asText()));
        if (output.has("shareError")) {
            problems.add("sharing did not run: " + output.path("shareError").path("Cause").asText(output.path("shareError").path("Error").asText()));
        }
        output.path("shared").path("result").path("refused").forEach(refused -> problems.add("export for " + refused.path("recipient").asText()
                + " (" + refused.path("format").asText() + ") refused: " + refused.path("reason").asText()));
        return List.copyOf(problems);
    }

    /** What ran into the sandbox instead of the published day (test rules, topics whose folder lacks part of their published rule set). */
    public List<String> sandbox()
    {
        return generated("sandbox");
    }

    /** Warnings of the compilation, each positioned: malformed IoC values skipped, correlation windows the previous day cannot fill (their rules ran). */
    public List<String> warnings()
    {
        return generated("warnings");
    }

    private List<String> generated(String key)
    {
        if (output == null || !output.path("generated").path(key).isArray()) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>();
        output.path("generated").path(key).forEach(line -> lines.add(line.asText()));
        return List.copyOf(lines);
    }

    /** The run did everything asked: it succeeded and reported no problem. */
    public boolean complete()
    {
        return succeeded() && problems().isEmpty();
    }
}
