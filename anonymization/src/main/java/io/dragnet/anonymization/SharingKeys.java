package io.dragnet.anonymization;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.DragnetHome;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The one secret behind every anonymized export: a 32-byte master key from which the Crypto-PAn key and the
 * pseudonym key are derived (HMAC-SHA256 over a label), so the same key gives the same pseudonyms across days and
 * recipients. Locally the key is a hex file created owner-only on first use; on AWS the same hex text is kept in
 * Secrets Manager and handed to {@link #of(byte[])}. Serializable so the index writer's tasks can carry it to Spark executors.
 */
public final class SharingKeys
        implements Serializable
{
    public static final int MASTER_KEY_BYTES = 32;

    private final byte[] master;

    private SharingKeys(byte[] master)
    {
        this.master = master;
    }

    /** Where a local home keeps the key: {@code <home>/secrets/sharing.key}. */
    public static Path localFile(DragnetHome home)
    {
        return home.root().resolve("secrets").resolve("sharing.key");
    }

    public static SharingKeys of(byte[] master)
    {
        requireNonNull(master, "master is null");
        if (master.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException("the sharing key has " + MASTER_KEY_BYTES + " bytes, not " + master.length);
        }
        return new SharingKeys(master.clone());
    }

    /** Reads the key file, creating it (0600, fresh random key; a missing folder 0700) when it does not exist yet. */
    public static SharingKeys loadOrCreate(Path file)
    {
        try {
            if (!Files.exists(file)) {
                Path folder = file.toAbsolutePath().getParent();
                if (!Files.isDirectory(folder)) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                byte[] fresh = new byte[MASTER_KEY_BYTES];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                            HexFormat.of().formatHex(fresh) + "\n", StandardOpenOption.WRITE);
                }
                catch (FileAlreadyExistsException raced) {
                    // another export created it first: use theirs
                }
            }
            return fromHex(Files.readString(file), "sharing key " + file);
        }
        catch (IOException e) {
            throw DragnetException.external("cannot read or create the sharing key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the key's text form; {@code where} names its home in the error, which never repeats the text. */
    public static SharingKeys fromHex(String text, String where)
    {
        String hex = text.trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{" + 2 * MASTER_KEY_BYTES + "}")) {
            throw DragnetException.user(where + ": expected " + 2 * MASTER_KEY_BYTES + " hex digits on one line");
        }
        return of(HexFormat.of().parseHex(hex));
    }

    public CryptoPan cryptoPan()
    {
        return CryptoPan.withKey(derive("crypto-pan", CryptoPan.KEY_BYTES));
    }

    public Pseudonyms pseudonyms()
    {
        return new Pseudonyms(derive("pseudonyms", 32));
    }

    private byte[] derive(String label, int length)
    {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(("dragnet-sharing/" + label).getBytes(StandardCharsets.UTF_8)), length);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
