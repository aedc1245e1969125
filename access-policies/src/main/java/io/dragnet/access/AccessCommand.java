package io.dragnet.access;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.client.OpenSearchClients;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Compile and apply the per-topic access policy; mint local tokens. */
@Command(name = "access", mixinStandardHelpOptions = true, description = "Compile and apply the per-topic access policy; mint local tokens.",
        subcommands = {AccessCommand.Apply.class, AccessCommand.Show.class, AccessCommand.Token.class})
public final class AccessCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: apply, show or token");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply the policy to OpenSearch through the security REST API (idempotent).")
    public static final class Apply
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--policy", defaultValue = "samples/access-policy.yaml", description = "policy YAML (default: ${DEFAULT-VALUE})")
        private Path policy;

        @Option(names = "--connection", description = "OpenSearchConnection JSON (default: the local node's, starting it if needed)")
        private Path connectionFile;

        @Override
        public Integer call()
        {
            AccessPolicy parsed = AccessPolicyParser.parse(policy);
            OpenSearchConnection connection = LocalOpenSearchNode.connection(DragnetHome.fromEnvironment(), connectionFile);
            OpenSearchClient client = OpenSearchClients.create(connection);
            try {
                PrintWriter out = spec.commandLine().getOut();
                new SecurityApplier(client).apply(SecurityCompiler.compileLocal(parsed)).forEach(out::println);
                out.flush();
            }
            finally {
                OpenSearchClients.close(client);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the compiled security configuration, or write it and the Cognito groups fragment to --out; --sam writes the SAM stack's access templates.")
    public static final class Show
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--policy", defaultValue = "samples/access-policy.yaml", description = "policy YAML (default: ${DEFAULT-VALUE})")
        private Path policy;

        @Option(names = "--aws-account-id", description = "compile role mappings for AWS (backend roles = the groups' IAM role ARNs)")
        private String awsAccountId;

        @Option(names = "--out", description = "folder for security-config.json and cognito-groups.json")
        private Path out;

        @Option(names = "--sam", description = "infra-sam folder: (re)write the nested templates of the policy's AWS binding (access/identity.yaml, access/security-config.yaml)")
        private Path sam;

        @Override
        public Integer call()
        {
            AccessPolicy parsed = AccessPolicyParser.parse(policy);
            if (sam != null) {
                for (Map.Entry<String, String> template : AwsBinding.templates(parsed, policy.toString()).entrySet()) {
                    Json.writeTextAtomically(sam.resolve(template.getKey()), template.getValue());
                    spec.commandLine().getOut().println("wrote " + sam.resolve(template.getKey()));
                }
                spec.commandLine().getOut().flush();
                return 0;
            }
            if (awsAccountId != null && !awsAccountId.matches("\\d{12}")) {
                throw DragnetException.user("--aws-account-id " + awsAccountId + ": expected 12 digits");
            }
            SecurityCompiler.Compiled compiled = awsAccountId == null ? SecurityCompiler.compileLocal(parsed) : SecurityCompiler.compileForAws(parsed, awsAccountId);
            Map<String, Object> security = new LinkedHashMap<>();
            security.put("actiongroups", compiled.actionGroups());
            security.put("tenants", compiled.tenants());
            security.put("roles", compiled.roles());
            security.put("rolesmapping", compiled.roleMappings());
            if (out == null) {
                spec.commandLine().getOut().println(Json.write(security));
            }
            else {
                Json.writeAtomically(out.resolve("security-config.json"), security);
                Json.writeAtomically(out.resolve("cognito-groups.json"), CognitoGroups.resources(parsed));
                spec.commandLine().getOut().println("wrote " + out.resolve("security-config.json") + " and " + out.resolve("cognito-groups.json"));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Mint a local ID token (Cognito-shaped) for the local node's JWT domain.")
    public static final class Token
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--user", required = true, description = "cognito:username")
        private String user;

        @Option(names = "--group", description = "cognito:groups entry (repeatable)")
        private List<String> groups = List.of();

        @Option(names = "--ttl-minutes", defaultValue = "60", description = "lifetime (default: ${DEFAULT-VALUE})")
        private long ttlMinutes;

        @Override
        public Integer call()
        {
            if (ttlMinutes <= 0) {
                throw DragnetException.user("--ttl-minutes " + ttlMinutes + ": expected a positive number");
            }
            DragnetHome home = DragnetHome.fromEnvironment();
            if (!Files.isRegularFile(LocalOpenSearchNode.jwtSigningKeyFile(home))) {
                throw DragnetException.user("no signing key under " + home.root() + ": run `dragnet opensearch start` first");
            }
            spec.commandLine().getOut().println(TokenMinter.mint(home, user, groups, Duration.ofMinutes(ttlMinutes)));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
