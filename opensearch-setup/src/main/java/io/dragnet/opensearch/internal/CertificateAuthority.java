package io.dragnet.opensearch.internal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static java.util.Objects.requireNonNull;

/**
 * A throw-away root CA for the embedded node: issues the node certificate (SAN localhost and 127.0.0.1, server and
 * client auth, since nodes also authenticate each other on the transport layer) and the admin client certificate.
 */
public final class CertificateAuthority
{
    public static final String NODE_DN = "CN=node,OU=dragnet,O=dragnet";
    public static final String ADMIN_DN = "CN=admin,OU=dragnet,O=dragnet";
    private static final String ROOT_DN = "CN=dragnet-local-root-ca,OU=dragnet,O=dragnet";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final SecureRandom random;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate, SecureRandom random)
    {
        this.keyPair = requireNonNull(keyPair, "keyPair is null");
        this.certificate = requireNonNull(certificate, "certificate is null");
        this.random = requireNonNull(random, "random is null");
    }

    public record Issued(KeyPair keyPair, X509Certificate certificate) {}

    public static CertificateAuthority create(SecureRandom random)
    {
        try {
            KeyPair keyPair = rsaKeyPair(random);
            X500Name name = new X500Name(ROOT_DN);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            return new CertificateAuthority(keyPair, sign(builder, keyPair), random);
        }
        catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the local root CA", e);
        }
    }

    public X509Certificate certificate()
    {
        return certificate;
    }

    public Issued issueNode()
    {
        return issue(NODE_DN, true, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }

    public Issued issueAdmin()
    {
        return issue(ADMIN_DN, false, null);
    }

    private Issued issue(String distinguishedName, boolean server, GeneralNames subjectAlternativeNames)
    {
        try {
            KeyPair subjectKeys = rsaKeyPair(random);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), new X500Name(distinguishedName), subjectKeys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.nonRepudiation));
            builder.addExtension(Extension.extendedKeyUsage, false, server
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (subjectAlternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames);
            }
            return new Issued(subjectKeys, sign(builder, keyPair));
        }
        catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + distinguishedName, e);
        }
    }

    public static KeyPair rsaKeyPair(SecureRandom random)
            throws GeneralSecurityException
    {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random)
    {
        return new BigInteger(64, random).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException
    {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
        }
        catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
