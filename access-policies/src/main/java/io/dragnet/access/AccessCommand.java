package io.dragnet.access;

import io.dragnet.access.cognito.CognitoLocal;
import io.dragnet.access.gateway.IdTokenVerifier;
import io.dragnet.access.gateway.TokenGateway;
import io.dragnet.access.cognito.LocalSignIn;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.OpenSearchTarget;
import io.dragnet.opensearch.client.OpenSearchAuth;
import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import io.dragnet.opensearch.client.OpenSearchRest;
import io.dragnet.opensearch.client.RestResponse;
import io.dragnet.opensearch.client.SecurityConfigApplier;
import io.dragnet.storage.OwnerOnly;
import org.opensearch.client.opensearch.OpenSearchClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
@Command(name = "access", mixinStandardHelpOptions = true, description = "Compile and apply the per-topic access policy; local users and sign-in.",
        subcommands = {AccessCommand.Apply.class, AccessCommand.Show.class, AccessCommand.User.class, AccessCommand.Token.class, AccessCommand.Gateway.class})
public final class AccessCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: apply, show, user or token");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply the policy and its audit configuration to OpenSearch through the security REST API, and to the local "
            + "Cognito user pool (cognito-local: groups, a demo user per group, the node's trust in the pool's key); idempotent.")
    public static final class Apply
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--policy", defaultValue = "samples/access-policy.yaml", description = "policy YAML (default: ${DEFAULT-VALUE})")
        private Path policy;

        @Option(names = "--audit", description = "audit configuration YAML (default: " + AuditConfig.FILE_NAME + " beside the policy)")
        private Path audit;

        @Mixin
        private OpenSearchTarget target;

        @Option(names = "--without-sign-in", description = "leave the local Cognito user pool and the node's trust in it alone")
        private boolean withoutSignIn;

        @Override
        public Integer call()
        {
            AccessPolicy parsed = AccessPolicyParser.parse(policy);
            AuditConfig auditConfig = AuditConfig.read(audit == null ? AuditConfig.besidePolicy(policy) : audit);
            DragnetHome home = DragnetHome.fromEnvironment();
            OpenSearchEndpoint endpoint = target.resolve(home);
            boolean aws = endpoint.auth() instanceof OpenSearchAuth.SigV4;
            PrintWriter out = spec.commandLine().getOut();
            out.println("OpenSearch: " + endpoint.describe());
            OpenSearchClient client = OpenSearchClients.create(endpoint);
            try {
                SecurityConfigApplier.SecurityConfig config = aws
                        ? AwsBinding.forDomain(parsed, auditConfig, existingMapping(client, AwsBinding.WRITER_ROLE), existingMapping(client, AwsBinding.SHARING_ROLE))
                        : SecurityApplier.config(SecurityCompiler.compileLocal(parsed), auditConfig);
                new SecurityConfigApplier(client, SecurityCompiler.ROLE_PREFIX).apply(config).forEach(out::println);
            }
            finally {
                OpenSearchClients.close(client);
            }
            if (aws) {
                out.println("an OpenSearch Service domain: analysts sign in through the stack's Cognito user pool (infra-sam/README.md); the local user pool is left alone");
            }
            else if (!withoutSignIn) {
                try (CognitoLocal server = CognitoLocal.start(home)) {
                    new LocalSignIn(home, server).apply(parsed, server).forEach(out::println);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** A role mapping as the domain has it, or empty when it has none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> existingMapping(OpenSearchClient client, String name)
    {
        RestResponse response = OpenSearchRest.call(client, "GET", "/_plugins/_security/api/rolesmapping/" + name, null);
        if (response.status() == 404) {
            return Map.of();
        }
        if (!response.ok()) {
            throw DragnetException.external("GET the role mapping " + name + " failed with " + response.status() + ": " + response.body(), null);
        }
        Object mapping = OpenSearchRest.parse(response.body()).get(name);
        return mapping instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
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
                for (Map.Entry<String, String> template : AwsBinding.templates(parsed, policy.toString(), AuditConfig.read(AuditConfig.besidePolicy(policy))).entrySet()) {
                    OwnerOnly.writeAtomically(sam.resolve(template.getKey()), template.getValue());
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
                OwnerOnly.writeAtomically(out.resolve("security-config.json"), Json.write(security));
                OwnerOnly.writeAtomically(out.resolve("cognito-groups.json"), Json.write(CognitoGroups.resources(parsed)));
                spec.commandLine().getOut().println("wrote " + out.resolve("security-config.json") + " and " + out.resolve("cognito-groups.json"));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "user", mixinStandardHelpOptions = true,
            description = "Create or update a user of the local Cognito user pool with exactly these groups (a new user gets a generated password, kept owner-only in the home).")
    public static final class User
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--user", required = true, description = "user name")
        private String user;

        @Option(names = "--group", required = true, description = "group of the access policy (repeatable)")
        private List<String> groups;

        @Option(names = "--policy", defaultValue = "samples/access-policy.yaml", description = "policy YAML the groups must come from (default: ${DEFAULT-VALUE})")
        private Path policy;

        @Override
        public Integer call()
        {
            AccessPolicy parsed = AccessPolicyParser.parse(policy);
            for (String group : groups) {
                if (!parsed.groups().containsKey(group)) {
                    throw DragnetException.user("--group " + group + ": not a group of " + policy + " (expected one of " + parsed.groups().keySet() + ")");
                }
            }
            DragnetHome home = DragnetHome.fromEnvironment();
            try (CognitoLocal server = CognitoLocal.start(home)) {
                new LocalSignIn(home, server).addUser(user, groups);
            }
            spec.commandLine().getOut().println("local user " + user + " in " + String.join(", ", groups) + "; sign in with `dragnet access token --user " + user + "`");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Sign a local user in to the local Cognito user pool (cognito-local, USER_PASSWORD_AUTH) and print the ID token; "
                    + "--minted instead mints a Cognito-shaped token with the node's own key (fallback, no sign-in).")
    public static final class Token
            implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Option(names = "--user", required = true, description = "user name (cognito:username)")
        private String user;

        @Option(names = "--minted", description = "fallback: mint a token with the node's key instead of signing in")
        private boolean minted;

        @Option(names = "--group", description = "with --minted: cognito:groups entry (repeatable); signed-in users get their pool groups")
        private List<String> groups = List.of();

        @Option(names = "--ttl-minutes", defaultValue = "60", description = "with --minted: lifetime (default: ${DEFAULT-VALUE})")
        private long ttlMinutes;

        @Override
        public Integer call()
        {
            DragnetHome home = DragnetHome.fromEnvironment();
            PrintWriter out = spec.commandLine().getOut();
            if (!minted) {
                if (!groups.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "--group goes with --minted: a signed-in user's groups are those of the user pool (dragnet access user)");
                }
                try (CognitoLocal server = CognitoLocal.start(home)) {
                    out.println(new LocalSignIn(home, server).idToken(user));
                }
                out.flush();
                return 0;
            }
            if (ttlMinutes <= 0 || ttlMinutes > IdTokenVerifier.MAX_LIFETIME.toMinutes()) {
                throw DragnetException.user("--ttl-minutes " + ttlMinutes + ": expected 1 to " + IdTokenVerifier.MAX_LIFETIME.toMinutes()
                        + " (the token gateway refuses longer-lived tokens)");
            }
            if (!Files.isRegularFile(LocalOpenSearchNode.minterSigningKeyFile(home))) {
                throw DragnetException.user("no signing key under " + home.root() + ": run `dragnet opensearch start` first");
            }
            out.println(TokenMinter.mint(home, user, groups, Duration.ofMinutes(ttlMinutes)));
            out.flush();
            return 0;
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "Run the token gateway in front of the home's running node until interrupted: analysts send their ID token to the "
                    + "printed address; the node itself accepts only the gateway's tokens.")
    public static final class Gateway
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--connection", description = "OpenSearch connection file (default: the embedded node's)")
        Path connectionFile;

        @Override
        public Integer call()
                throws InterruptedException
        {
            DragnetHome home = DragnetHome.fromEnvironment();
            PrintWriter out = spec.commandLine().getOut();
            try (TokenGateway gateway = TokenGateway.start(home, LocalOpenSearchNode.connection(home, connectionFile))) {
                out.println("token gateway at " + gateway.endpoint() + " (CA certificate " + gateway.connection().caCertificate() + "); Ctrl-C stops it");
                out.flush();
                Thread.currentThread().join();
            }
            return 0;
        }
    }
}
