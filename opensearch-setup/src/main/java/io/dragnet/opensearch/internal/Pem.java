package io.dragnet.opensearch.internal;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** PEM encodings the security plugin reads: X.509 certificates, PKCS#8 private keys, X.509 (SPKI) public keys. */
public final class Pem
{
    private Pem() {}

    public static String certificate(X509Certificate certificate)
    {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        }
        catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code PrivateKey.getEncoded()} of an RSA key is PKCS#8 already. */
    public static String privateKey(PrivateKey key)
    {
        return block("PRIVATE KEY", key.getEncoded());
    }

    public static String publicKey(PublicKey key)
    {
        return block("PUBLIC KEY", key.getEncoded());
    }

    /** The base64 DER of a public key on one line, the form the JWT authenticator's {@code signing_key} parses. */
    public static String publicKeyOneLine(PublicKey key)
    {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PrivateKey readRsaPrivateKey(String pem)
    {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(decode(pem, "PRIVATE KEY")));
        }
        catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }

    public static PublicKey readRsaPublicKey(String pem)
    {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decode(pem, "PUBLIC KEY")));
        }
        catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an X.509 RSA public key: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String pem, String type)
    {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block " + begin);
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static String block(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
