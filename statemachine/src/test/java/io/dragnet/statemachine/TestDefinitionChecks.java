package io.dragnet.statemachine;

import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deployed definitions validate (locally and with the npm asl-validator); broken ones are refused with a clear error. */
final class TestDefinitionChecks
{
    @Test
    void deployedDefinitionParsesWithTheLocalSubstitutions()
            throws Exception
    {
        String text = Files.readString(TestDailyRun.repositoryDefinition());
        assertThat(LocalBindings.defaults().substitutions().keySet()).containsAll(StateMachine.substitutionNames(text));
        StateMachine machine = StateMachine.parse(StateMachine.substitute(text, LocalBindings.defaults().substitutions()), "daily-run.asl.json");
        assertThat(machine.states()).containsKeys("GenerateJobs", "CreateCluster", "RunJobs", "Publish", "TerminateCluster", "RecordRunCost",
                "TerminateClusterAfterFailure", "FailRun");
        assertThat(text).doesNotContainPattern("\\d{12}");

        String runEnded = DailyRun.definition(DailyRun.RUN_ENDED_FILE);
        Map<String, String> substitutions = new java.util.HashMap<>(LocalBindings.defaults().substitutions());
        substitutions.put(DailyRun.RESULTS_LOCATION, "file:///results");
        assertThat(substitutions.keySet()).containsAll(StateMachine.substitutionNames(runEnded));
        assertThat(StateMachine.parse(StateMachine.substitute(runEnded, substitutions), DailyRun.RUN_ENDED_FILE).states())
                .containsKeys("TerminateRunClusters", "WaitForTermination", "RecordRunEnd");
    }

    @Test
    void refusesBrokenDefinitionsNamingTheStateAndField()
    {
        assertThatThrownBy(() -> StateMachine.parse("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}""", "broken.asl.json"))
                .isInstanceOf(DragnetException.class)
                .hasMessageContaining("broken.asl.json")
                .hasMessageContaining("state 'A'.Next: \"Missing\" is not a state");
        assertThatThrownBy(() -> StateMachine.parse("""
                {"StartAt": "A", "States": {"A": {"Type": "Task", "End": true, "Parameters": {"x.$": "States.Nope($.a)"}}}}""", "t.json"))
                .hasMessageContaining("a Task needs a 'Resource' string")
                .hasMessageContaining("'States.Nope' is not an intrinsic function");
        assertThatThrownBy(() -> StateMachine.parse("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Retry": []}, "B": {"Type": "Succeed"}}}""", "u.json"))
                .hasMessageContaining("unknown field 'Retry'")
                .hasMessageContaining("state 'B' cannot be reached");
        assertThatThrownBy(() -> StateMachine.parse("{\"StartAt\": ", "j.json"))
                .hasMessageStartingWith("j.json:1:");
        assertThatThrownBy(() -> StateMachine.parse("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Unset}", "End": true}}}""", "s.json"))
                .hasMessageContaining("${Unset} has no value");
    }

    @Test
    @Tag("integration")
    void aslValidatorAcceptsTheDeployedDefinitionAndRejectsABrokenOne()
            throws Exception
    {
        NodeChecks.requireNodeModule("asl-validator");
        Path validator = RepositoryPaths.root().resolve("node_modules/asl-validator/dist/bin/asl-validator.js");
        List<String> command = Files.exists(validator)
                ? List.of("node", validator.toString())
                : List.of("node_modules/.bin/asl-validator");
        for (String definition : List.of("statemachine/daily-run.asl.json", "statemachine/run-ended.asl.json")) {
            NodeChecks.Result valid = NodeChecks.run(concat(command, "--json-path", definition));
            assertThat(valid.exitCode()).as(definition + ": " + valid.stdout() + valid.stderr()).isZero();
        }

        Path broken = Files.createTempFile("broken", ".asl.json");
        Files.writeString(broken, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"End\": true}}}");
        NodeChecks.Result invalid = NodeChecks.run(concat(command, "--json-path", broken.toString()));
        Files.delete(broken);
        assertThat(invalid.exitCode()).isNotZero();
    }

    private static List<String> concat(List<String> command, String... more)
    {
        return java.util.stream.Stream.concat(command.stream(), java.util.Arrays.stream(more)).toList();
    }
}
