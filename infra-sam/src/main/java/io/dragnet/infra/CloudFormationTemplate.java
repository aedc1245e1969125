package io.dragnet.infra;

import io.dragnet.contracts.DragnetException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A CloudFormation / SAM template read from YAML with its short-form intrinsic tags ({@code !Ref}, {@code !Sub},
 * {@code !GetAtt}…) turned into their long JSON form ({@code {"Ref": …}}, {@code {"Fn::Sub": …}}), so checks can walk
 * it as plain maps and lists.
 */
public final class CloudFormationTemplate
{
    private static final List<String> FUNCTIONS = List.of("Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
            "FindInMap", "GetAZs", "ImportValue", "Base64", "Cidr", "Length", "ToJsonString");

    private CloudFormationTemplate() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file)
    {
        try {
            Object root = new Yaml(new IntrinsicConstructor()).load(Files.readString(file));
            if (!(root instanceof Map<?, ?>)) {
                throw DragnetException.user(file + ": a template must be a YAML mapping");
            }
            return (Map<String, Object>) root;
        }
        catch (MarkedYAMLException e) {
            throw DragnetException.user(file + ":" + (e.getProblemMark().getLine() + 1) + ":" + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem());
        }
        catch (IOException e) {
            throw DragnetException.user("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static final class IntrinsicConstructor
            extends SafeConstructor
    {
        IntrinsicConstructor()
        {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new AbstractConstruct()
            {
                @Override
                public Object construct(Node node)
                {
                    if (node instanceof ScalarNode scalar) {
                        String value = scalar.getValue();
                        int dot = value.indexOf('.');
                        return Map.of("Fn::GetAtt", dot < 0 ? List.of(value) : Arrays.asList(value.substring(0, dot), value.substring(dot + 1)));
                    }
                    return Map.of("Fn::GetAtt", constructSequence((SequenceNode) node));
                }
            });
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic
                extends AbstractConstruct
        {
            private final String key;

            Intrinsic(String key)
            {
                this.key = key;
            }

            @Override
            public Object construct(Node node)
            {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = scalar.getValue();
                }
                else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                }
                else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
