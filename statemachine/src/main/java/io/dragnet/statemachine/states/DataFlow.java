package io.dragnet.statemachine.states;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * How a state's input becomes its output: InputPath → Parameters → (the work) → ResultSelector → ResultPath →
 * OutputPath. {@code parameters} and {@code resultSelector} are payload templates, null when absent.
 */
public record DataFlow(PathField inputPath, JsonNode parameters, JsonNode resultSelector, PathField resultPath, PathField outputPath)
{
    public static final DataFlow NONE = new DataFlow(PathField.ABSENT, null, null, PathField.ABSENT, PathField.ABSENT);

    public DataFlow
    {
        requireNonNull(inputPath, "inputPath is null");
        requireNonNull(resultPath, "resultPath is null");
        requireNonNull(outputPath, "outputPath is null");
    }
}
