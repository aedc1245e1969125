package io.dragnet.opensearch.internal;

import io.dragnet.storage.FileTrees;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * Credentials generated once per home: root CA, node and admin certificates, the admin password (and its BCrypt
 * hash as the security plugin stores it), the RS256 key pair the token gateway signs the node's tokens with, and the
 * RS256 key pair that signs minted Cognito-style tokens (trusted by the gateway only).
 * Kept in the secrets folder (0700, files 0600); the node gets copies of what it needs.
 */
public final class NodeSecrets
{
    public static final String CA_KEY = "root-ca-key.pem";
    public static final String NODE_CERT = "node.pem";
    public static final String NODE_KEY = "node-key.pem";
    public static final String ADMIN_CERT = "admin.pem";
    public static final String ADMIN_KEY = "admin-key.pem";
    public static final String ADMIN_PASSWORD = "admin.password";
    public static final String ADMIN_PASSWORD_HASH = "admin.password.bcrypt";
    /**
     * The salt of the security plugin's field masking ({@code plugins.security.compliance.salt}): without a secret
     * salt, anyone could hash every IPv4 address with the plugin's public default and read masked addresses back.
     */
    public static final String MASKING_SALT = "masking.salt";

    private NodeSecrets() {}

    /** Generates the secrets unless they exist; written to a temp folder renamed into place. */
    public static void ensure(NodeLayout layout)
    {
        if (Files.isRegularFile(layout.secrets().resolve(ADMIN_PASSWORD_HASH))) {
            ensureMinterKey(layout);
            ensureMaskingSalt(layout);
            return;
        }
        try {
            SecureRandom random = new SecureRandom();
            Path temp = layout.engine().resolve(".secrets.tmp");
            FileTrees.deleteRecursively(temp);
            Files.createDirectories(temp);
            CertificateAuthority authority = CertificateAuthority.create(random);
            CertificateAuthority.Issued node = authority.issueNode();
            CertificateAuthority.Issued admin = authority.issueAdmin();
            KeyPair jwt = CertificateAuthority.rsaKeyPair(random);
            String password = password(random);
            writeSecret(temp.resolve("root-ca.pem"), Pem.certificate(authority.certificate()));
            writeSecret(temp.resolve(NODE_CERT), Pem.certificate(node.certificate()));
            writeSecret(temp.resolve(NODE_KEY), Pem.privateKey(node.keyPair().getPrivate()));
            writeSecret(temp.resolve(ADMIN_CERT), Pem.certificate(admin.certificate()));
            writeSecret(temp.resolve(ADMIN_KEY), Pem.privateKey(admin.keyPair().getPrivate()));
            writeSecret(temp.resolve(layout.gatewayPrivateKey().getFileName().toString()), Pem.privateKey(jwt.getPrivate()));
            writeSecret(temp.resolve(layout.gatewayPublicKey().getFileName().toString()), Pem.publicKey(jwt.getPublic()));
            KeyPair minter = CertificateAuthority.rsaKeyPair(random);
            writeSecret(temp.resolve(layout.minterPrivateKey().getFileName().toString()), Pem.privateKey(minter.getPrivate()));
            writeSecret(temp.resolve(layout.minterPublicKey().getFileName().toString()), Pem.publicKey(minter.getPublic()));
            writeSecret(temp.resolve(ADMIN_PASSWORD), password);
            writeSecret(temp.resolve(ADMIN_PASSWORD_HASH), bcrypt(password, random));
            writeSecret(temp.resolve(MASKING_SALT), maskingSalt(random));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx------"));
            FileTrees.deleteRecursively(layout.secrets());
            Files.move(temp, layout.secrets(), StandardCopyOption.ATOMIC_MOVE);
            Files.copy(layout.secrets().resolve("root-ca.pem"), layout.caCertificate(), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write OpenSearch secrets under " + layout.engine(), e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The minter's key pair, for a home whose secrets were generated without one. */
    private static void ensureMinterKey(NodeLayout layout)
    {
        if (Files.isRegularFile(layout.minterPublicKey())) {
            return;
        }
        try {
            KeyPair minter = CertificateAuthority.rsaKeyPair(new SecureRandom());
            writeSecret(layout.minterPrivateKey(), Pem.privateKey(minter.getPrivate()));
            writeSecret(layout.minterPublicKey(), Pem.publicKey(minter.getPublic()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the token minter's key under " + layout.secrets(), e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The masking salt, for a home whose secrets were generated without one. */
    private static void ensureMaskingSalt(NodeLayout layout)
    {
        Path salt = layout.secrets().resolve(MASKING_SALT);
        if (Files.isRegularFile(salt)) {
            return;
        }
        try {
            writeSecret(salt, maskingSalt(new SecureRandom()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the masking salt under " + layout.secrets(), e);
        }
    }

    /** 32 hex digits: the plugin wants at least 32 ASCII characters (older releases) and reads the value as it stands in opensearch.yml. */
    private static String maskingSalt(SecureRandom random)
    {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    public static String read(NodeLayout layout, String name)
    {
        try {
            return Files.readString(layout.secrets().resolve(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** BCrypt in the {@code $2y$12$} form the plugin's tools/hash.sh produces. */
    static String bcrypt(String password, SecureRandom random)
    {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 12);
    }

    private static String password(SecureRandom random)
    {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        // Letters, digits and a symbol so any password-strength rule the plugin may apply is satisfied.
        return "Dn1-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeSecret(Path file, String content)
            throws IOException
    {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
