package io.dragnet.anonymization;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keyed pseudonyms for host and user names: {@code <kind>-<first 12 hex digits of HMAC-SHA256(kind, lower-cased value)>}.
 * Equal names (ignoring case) give equal pseudonyms under one key, so a recipient can still count and correlate them.
 */
public final class Pseudonyms
{
    private final Mac mac;

    public Pseudonyms(byte[] key)
    {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Not thread-safe: one instance per thread. */
    public String pseudonym(String kind, String value)
    {
        byte[] digest = mac.doFinal((kind + "\u001f" + value.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
        return kind + "-" + HexFormat.of().formatHex(digest, 0, 6);
    }
}
