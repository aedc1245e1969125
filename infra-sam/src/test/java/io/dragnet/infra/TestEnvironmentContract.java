package io.dragnet.infra;

import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment contract ({@link EnvironmentVariable}) both ways: every variable the template sets on a function is
 * declared for that function and read (by our code or the JVM), and every variable the code reads is declared, so
 * either set by the template on the functions that need it, by Lambda's runtime, or only by the embedded default.
 */
final class TestEnvironmentContract
{
    private static final Path ROOT = RepositoryPaths.root();
    private static final Path CONTRACT = Path.of("contracts/src/main/java/io/dragnet/contracts/EnvironmentVariable.java");
    // A read that names a variable directly instead of going through the contract.
    private static final Pattern DIRECT_READ = Pattern.compile("getenv\\(\\s*\"([^\"]+)\"|[Ee]nvironment\\w*(?:\\(\\))?\\.get(?:OrDefault)?\\(\\s*\"([^\"]+)\"");
    // Variables Lambda sets in every function; the template may not set them (CloudFormation rejects reserved keys).
    private static final Set<String> LAMBDA_RESERVED = Set.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_EXECUTION_ENV", "LAMBDA_TASK_ROOT");

    @Test
    void templateSetsOnEachFunctionExactlyTheDeclaredVariables()
    {
        Map<String, Object> template = CloudFormationTemplate.load(ROOT.resolve("infra-sam/template.yaml"));
        Set<String> global = variables(map(map(template.get("Globals")).get("Function")));
        assertThat(global).as("Globals.Function.Environment").isEqualTo(declaredFor(EnvironmentVariable.Functions.ALL));

        Map<String, Set<String>> set = new TreeMap<>();
        Map<String, Set<String>> declared = new TreeMap<>();
        map(template.get("Resources")).forEach((name, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                set.put(name, variables(map(map(resource).get("Properties"))));
                declared.put(name, declaredFor(name));
            }
        });
        assertThat(set).isNotEmpty().isEqualTo(declared);
        Set<String> functions = new TreeSet<>(set.keySet());
        functions.add(EnvironmentVariable.Functions.ALL);
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            assertThat(functions).as(variable + " names template functions that exist").containsAll(variable.templateFunctions());
        }
    }

    @Test
    void runtimeVariablesAreLambdasOwn()
    {
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            assertThat(variable.setBy() == EnvironmentVariable.SetBy.LAMBDA_RUNTIME).as(variable.name())
                    .isEqualTo(LAMBDA_RESERVED.contains(variable.name()));
        }
    }

    @Test
    void codeReadsVariablesOnlyThroughTheContract()
    {
        assertThat(directReads(ROOT)).isEmpty();
    }

    @Test
    void everyDeclaredVariableIsRead()
    {
        String code = mainSources(ROOT).stream().filter(file -> !file.endsWith(CONTRACT)).map(TestEnvironmentContract::read)
                .collect(Collectors.joining("\n"));
        List<String> unread = Arrays.stream(EnvironmentVariable.values())
                .filter(variable -> variable.readBy() == EnvironmentVariable.ReadBy.CODE)
                .filter(variable -> !code.contains("EnvironmentVariable." + variable.name()))
                .map(Enum::name).toList();
        assertThat(unread).as("declared variables no code reads").isEmpty();
    }

    @Test
    void scannerFindsADirectRead(@TempDir Path temp)
            throws IOException
    {
        Path source = temp.resolve("module/src/main/java/io/dragnet/example/Reader.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                class Reader {
                    String a = System.getenv("SECRET_PLACE");
                    String b = environment.get("OTHER_PLACE");
                    java.util.Map<String, String> all = System.getenv();
                }
                """);
        assertThat(directReads(temp)).containsExactly("module/src/main/java/io/dragnet/example/Reader.java reads SECRET_PLACE",
                "module/src/main/java/io/dragnet/example/Reader.java reads OTHER_PLACE");
    }

    private static Set<String> declaredFor(String function)
    {
        return Arrays.stream(EnvironmentVariable.values())
                .filter(variable -> variable.templateFunctions().contains(function))
                .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> variables(Map<String, Object> properties)
    {
        Object environment = properties.get("Environment");
        if (environment == null) {
            return Set.of();
        }
        return new TreeSet<>(map(map(environment).get("Variables")).keySet());
    }

    private static List<String> directReads(Path root)
    {
        List<String> reads = new ArrayList<>();
        for (Path file : mainSources(root)) {
            Path relative = root.relativize(file);
            if (relative.equals(CONTRACT)) {
                continue;
            }
            Matcher matcher = DIRECT_READ.matcher(read(file));
            while (matcher.find()) {
                reads.add(relative + " reads " + (matcher.group(1) != null ? matcher.group(1) : matcher.group(2)));
            }
        }
        return reads;
    }

    private static List<Path> mainSources(Path root)
    {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> root.relativize(file).toString().replace('\\', '/').matches("(?:[^/]+/)*src/main/java/.*"))
                    .filter(file -> !root.relativize(file).toString().contains("node_modules") && !root.relativize(file).startsWith(".git"))
                    .sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value)
    {
        return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
    }
}
