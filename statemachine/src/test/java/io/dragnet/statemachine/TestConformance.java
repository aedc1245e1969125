package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.statemachine.internal.JsonPaths;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small definitions with expected outputs (src/test/resources/conformance): the local executor must produce them, and
 * where Node is present the npm package aws-local-stepfunctions must agree with it on every case (a differential test).
 * Tasks ending in ":function:echo" return their input; ":function:fail" fail with Custom.Failure, on both sides.
 */
final class TestConformance
{
    private static final Path CASES = RepositoryPaths.root().resolve("statemachine/src/test/resources/conformance");

    @Test
    void localExecutorProducesTheExpectedOutputs()
            throws IOException
    {
        Map<String, JsonNode> actual = runLocally();
        assertThat(actual).hasSizeGreaterThanOrEqualTo(10);
        for (Map.Entry<String, JsonNode> entry : actual.entrySet()) {
            JsonNode expected = JsonPaths.mapper().readTree(CASES.resolve(entry.getKey()).toFile()).get("expected");
            assertThat(entry.getValue().get("status")).as(entry.getKey()).isEqualTo(expected.get("status"));
            for (String field : List.of("output", "error", "cause")) {
                if (expected.has(field)) {
                    assertThat(entry.getValue().get(field)).as(entry.getKey() + " " + field).isEqualTo(expected.get(field));
                }
            }
        }
    }

    @Test
    @Tag("integration")
    void awsLocalStepFunctionsAgreesOnEveryCase()
            throws Exception
    {
        NodeChecks.requireNodeModule("aws-local-stepfunctions");
        NodeChecks.Result node = NodeChecks.run(List.of("node", "statemachine/src/test/node/run-conformance.mjs", CASES.toString()));
        assertThat(node.exitCode()).as(node.stderr()).isZero();
        JsonNode theirs = JsonPaths.mapper().readTree(node.stdout());
        Map<String, JsonNode> ours = runLocally();
        assertThat(theirs.size()).isEqualTo(ours.size());
        for (Map.Entry<String, JsonNode> entry : ours.entrySet()) {
            JsonNode other = theirs.get(entry.getKey());
            assertThat(other).as(entry.getKey()).isNotNull();
            assertThat(entry.getValue().get("status")).as(entry.getKey()).isEqualTo(other.get("status"));
            if (other.get("status").asText().equals("SUCCEEDED")) {
                assertThat(entry.getValue().get("output")).as(entry.getKey()).isEqualTo(other.get("output"));
            }
            else {
                assertThat(entry.getValue().get("error")).as(entry.getKey()).isEqualTo(other.get("error"));
            }
        }
    }

    private static Map<String, JsonNode> runLocally()
            throws IOException
    {
        TaskResource echo = (resource, parameters, invocation) -> parameters;
        TaskResource fail = (resource, parameters, invocation) -> {
            throw new StatesError("Custom.Failure", "always fails");
        };
        TaskResources resources = TaskResources.empty()
                .with("arn:aws:lambda:us-east-1:123456789012:function:echo", echo)
                .with("arn:aws:lambda:us-east-1:123456789012:function:fail", fail);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                JsonNode testCase = JsonPaths.mapper().readTree(file.toFile());
                StateMachine machine = StateMachine.parse(testCase.get("definition").toString(), file.getFileName().toString());
                ExecutionOutcome outcome = new Executor(resources, new RecordingSleeper(), java.time.Clock.systemUTC()).execute(machine, "conformance", "case", testCase.get("input"));
                ObjectNode result = JsonPaths.object();
                result.put("status", outcome.status());
                if (outcome.succeeded()) {
                    result.set("output", outcome.output());
                }
                else {
                    result.put("error", outcome.error());
                    result.put("cause", outcome.cause());
                }
                results.put(file.getFileName().toString(), result);
            }
        }
        return results;
    }
}
