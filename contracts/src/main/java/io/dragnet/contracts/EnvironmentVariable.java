package io.dragnet.contracts;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Every environment variable dragnet's code reads, and who sets it. Code reads a variable only through
 * {@link #read(Map)}; infra-sam's TestEnvironmentContract checks both ways that the variables infra-sam/template.yaml
 * sets on each function are exactly those declared here for that function, and that no code reads a variable that
 * is not declared here.
 * <p>
 * To add a variable: add a constant naming who sets it ({@link SetBy}) and, when the template sets it, the logical
 * names of the template's functions that get it; then set it there and read it through this class.
 */
public enum EnvironmentVariable
{
    JAVA_TOOL_OPTIONS("JVM flags for every Lambda function (C1 only: faster start for short invocations); read by the JVM",
            SetBy.TEMPLATE, ReadBy.JVM, Set.of(Functions.ALL)),
    AWS_REGION("region the function runs in; the RecordRunCost handler prices instances there", SetBy.LAMBDA_RUNTIME),
    AWS_LAMBDA_FUNCTION_NAME("present only inside Lambda: RecordRunCost defaults to the AWS binding when it is set", SetBy.LAMBDA_RUNTIME),
    DRAGNET_HOME("embedded default: folder holding lake, work, results and the local engines (default .dragnet/)", SetBy.LOCAL),
    DRAGNET_REPO_ROOT("embedded default: the checkout (samples/, built broker classpath); set by ./dragnet", SetBy.LOCAL),
    DRAGNET_DATASETS("embedded default: folder laid out like ../shared/datasets holding the full datasets (default: samples/)", SetBy.LOCAL),
    DRAGNET_BENCH_RESULTS("benchmarks: the results.jsonl file their JSON lines are appended to (default docs/benchmarks/results.jsonl)", SetBy.LOCAL),
    DRAGNET_KAFKA_LIB("embedded default: the local Kafka broker's classpath folder", SetBy.LOCAL),
    DRAGNET_OPENSEARCH_CONNECTION("path of an OpenSearch connection JSON (endpoint, user, password, CA) overriding the embedded node's",
            SetBy.LOCAL),
    OPENSEARCH_AUTH("how to reach OpenSearch: basic (a local connection file), jwt, sigv4 (AWS) or disabled",
            SetBy.TEMPLATE, ReadBy.CODE, Functions.OPENSEARCH_WRITERS),
    OPENSEARCH_ENDPOINT("https://host of the OpenSearch domain (sigv4, jwt)",
            SetBy.TEMPLATE, ReadBy.CODE, Functions.OPENSEARCH_WRITERS),
    OPENSEARCH_TOKEN("a signed-in user's ID token (OPENSEARCH_AUTH=jwt, the command line)", SetBy.LOCAL),
    OPENSEARCH_CA_CERTIFICATE("PEM file of a private CA to trust for OPENSEARCH_ENDPOINT (default: the JVM trust store, "
            + "which OpenSearch Service's certificates chain to)", SetBy.LOCAL),
    SHARING_KEY_SECRET_ID("Share Lambda and the EMR extraction step (spark.yarn.appMasterEnv): the Secrets Manager secret holding the sharing key (64 hex digits)",
            SetBy.TEMPLATE, ReadBy.CODE, Set.of("ShareFunction")),
    NIDS_MODELS("MSK verdict Lambda: folder holding nids/<version>/ models (e.g. a layer under /opt)", SetBy.DEPLOYER),
    NIDS_MODEL_VERSION("MSK verdict Lambda: model version to load (default: the latest)", SetBy.DEPLOYER),
    SAGEMAKER_ENDPOINT("MSK verdict Lambda: score through this SageMaker endpoint instead of in-process", SetBy.DEPLOYER);

    /** Who gives a variable its value. */
    public enum SetBy
    {
        /** infra-sam/template.yaml, on the functions listed. */
        TEMPLATE,
        /** Lambda's runtime sets it in every function (a reserved variable). */
        LAMBDA_RUNTIME,
        /** The embedded default on one machine (./dragnet, tests); unset on AWS, where the code does without it. */
        LOCAL,
        /** Whoever deploys a handler this stack does not create (the optional MSK verdict Lambda). */
        DEPLOYER
    }

    /** Who reads a variable: dragnet's code through {@link #read}, or the JVM itself. */
    public enum ReadBy
    {
        CODE,
        JVM
    }

    /** Logical function names of infra-sam/template.yaml. */
    public static final class Functions
    {
        /** Every function (the template's Globals). */
        public static final String ALL = "*";
        /** The functions that reach the OpenSearch domain with SigV4. */
        public static final Set<String> OPENSEARCH_WRITERS = Set.of("PublishFunction", "RecordRunCostFunction", "SecurityConfigFunction", "ShareFunction");

        private Functions() {}
    }

    private final String purpose;
    private final SetBy setBy;
    private final ReadBy readBy;
    private final Set<String> templateFunctions;

    EnvironmentVariable(String purpose, SetBy setBy)
    {
        this(purpose, setBy, ReadBy.CODE, Set.of());
    }

    EnvironmentVariable(String purpose, SetBy setBy, ReadBy readBy, Set<String> templateFunctions)
    {
        this.purpose = requireNonNull(purpose, "purpose is null");
        this.setBy = requireNonNull(setBy, "setBy is null");
        this.readBy = requireNonNull(readBy, "readBy is null");
        this.templateFunctions = Set.copyOf(templateFunctions);
        if ((setBy == SetBy.TEMPLATE) == this.templateFunctions.isEmpty()) {
            throw new IllegalStateException(name() + ": template functions are listed exactly when the template sets the variable");
        }
    }

    public String purpose()
    {
        return purpose;
    }

    public SetBy setBy()
    {
        return setBy;
    }

    public ReadBy readBy()
    {
        return readBy;
    }

    /** Logical names of the template's functions that set it ({@link Functions#ALL}: every function); empty unless {@link SetBy#TEMPLATE}. */
    public Set<String> templateFunctions()
    {
        return templateFunctions;
    }

    /** The variable's value in {@code environment} ({@code System.getenv()} in production); blank counts as unset. */
    public Optional<String> read(Map<String, String> environment)
    {
        String value = environment.get(name());
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The variable's value in this process's environment; blank counts as unset. */
    public Optional<String> read()
    {
        return read(System.getenv());
    }
}
