package io.dragnet.infra;

import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAM template and its nested templates pass cfn-lint (with the SAM translator) without a single finding.
 * cfn-lint comes with the machine's Python 3.11; its absence fails the test rather than skipping it.
 */
final class TestLint
{
    private static final Path ROOT = RepositoryPaths.root();

    @Test
    void templatesLintClean()
            throws IOException, InterruptedException
    {
        List<Path> templates = new ArrayList<>(List.of(ROOT.resolve("infra-sam/template.yaml")));
        try (Stream<Path> nested = Files.list(ROOT.resolve("infra-sam/access"))) {
            nested.filter(file -> file.toString().endsWith(".yaml")).sorted().forEach(templates::add);
        }
        assertThat(CfnLint.run(templates)).as("cfn-lint findings").isEmpty();
    }

    @Test
    void lintReportsARetiredRuntimeAndACycle(@TempDir Path temp)
            throws IOException, InterruptedException
    {
        Path broken = temp.resolve("broken.yaml");
        Files.writeString(broken, """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Handler:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: java17
                      Handler: io.dragnet.Example::handleRequest
                      CodeUri: example.zip
                  First:
                    Type: AWS::SNS::Topic
                    Properties:
                      DisplayName: !GetAtt Second.TopicName
                  Second:
                    Type: AWS::SNS::Topic
                    Properties:
                      DisplayName: !GetAtt First.TopicName
                """);
        assertThat(CfnLint.run(List.of(broken))).extracting(CfnLint.Finding::rule).contains("E2533", "E3004");
    }
}
