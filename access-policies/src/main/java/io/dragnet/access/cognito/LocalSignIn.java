package io.dragnet.access.cognito;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dragnet.access.AccessPolicy;
import io.dragnet.access.gateway.PoolTrust;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.storage.OwnerOnly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Local sign-in end to end: the policy's groups in dragnet's pool of a running {@link CognitoLocal}, a demo user per
 * group ({@value #DEMO_PREFIX}{@code <group>}), users an admin adds, the token gateway's trust in the pool's key, and password
 * sign-in. Passwords are generated and kept in {@code <home>/engines/cognito-local/users.json} (owner-only), the
 * local stand-in for the mail Cognito sends a new user.
 */
public final class LocalSignIn
{
    public static final String DEMO_PREFIX = "demo-";

    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final DragnetHome home;
    private final LocalUserPool pool;

    public LocalSignIn(DragnetHome home, CognitoLocal server)
    {
        this.home = requireNonNull(home, "home is null");
        this.pool = LocalUserPool.ensure(requireNonNull(server, "server is null").client());
    }

    public LocalUserPool pool()
    {
        return pool;
    }

    /**
     * Makes the pool's groups those of the policy, gives every group its demo user, and has the token gateway trust the
     * pool's ID tokens (the node itself trusts only the gateway). Returns one line per change.
     */
    public List<String> apply(AccessPolicy policy, CognitoLocal server)
    {
        List<String> changes = new ArrayList<>(pool.syncGroups(policy.groups().keySet()));
        for (String group : policy.groups().keySet()) {
            String user = DEMO_PREFIX + group;
            if (!passwords().containsKey(user)) {
                changes.add("created local user " + user + " in " + group);
            }
            addUser(user, List.of(group));
        }
        PoolTrust.of(pool.issuer(), pool.clientId(), PoolJwks.signingKey(server.endpoint(), pool.userPoolId())).write(home);
        changes.add("token gateway trusts ID tokens of " + pool.issuer() + " for client " + pool.clientId());
        return changes;
    }

    /** Creates or updates a user with exactly these groups; a new user gets a generated password. */
    public void addUser(String user, List<String> groups)
    {
        Map<String, String> passwords = passwords();
        String password = passwords.computeIfAbsent(user, ignored -> generatedPassword());
        pool.putUser(user, password, groups);
        writePasswords(passwords);
    }

    /** Signs the user in with the password kept for them and returns the ID token. */
    public String idToken(String user)
    {
        return signIn(user).idToken();
    }

    public LocalUserPool.SignIn signIn(String user)
    {
        String password = passwords().get(user);
        if (password == null) {
            throw DragnetException.user("no local user '" + user + "': add one with `dragnet access user --user " + user + " --group <group>`"
                    + " (dragnet access apply creates " + DEMO_PREFIX + "<group> for every group of the policy)");
        }
        return pool.signIn(user, password);
    }

    private Path passwordFile()
    {
        return home.engine("cognito-local").resolve("users.json");
    }

    private Map<String, String> passwords()
    {
        Path file = passwordFile();
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void writePasswords(Map<String, String> passwords)
    {
        OwnerOnly.writeAtomically(passwordFile(), Json.write(passwords));
    }

    private static String generatedPassword()
    {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder("Dn-");
        for (int i = 0; i < 24; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
