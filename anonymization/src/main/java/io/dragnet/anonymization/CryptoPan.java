package io.dragnet.anonymization;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keyed prefix-preserving IP address anonymization (Crypto-PAn, Xu, Fan, Ammar and Moon, 2002): two addresses that
 * share a prefix of k bits map to two addresses that share a prefix of exactly k bits, so recipients still see which
 * hosts share a subnet without learning the addresses. The 32-byte key splits into an AES-128 key (first half) and
 * the seed of a padding block (second half, encrypted once). Bit i of the result is the address's bit i flipped by
 * the first bit of AES(first i bits of the address, followed by the padding's remaining bits). IPv6 applies the same
 * construction over 128 bits, as the widely used implementations do.
 */
public final class CryptoPan
{
    public static final int KEY_BYTES = 32;

    private final Cipher cipher;
    private final byte[] pad;

    private CryptoPan(byte[] key)
    {
        try {
            cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(key, 0, 16), "AES"));
            pad = cipher.doFinal(Arrays.copyOfRange(key, 16, 32));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
    }

    public static CryptoPan withKey(byte[] key)
    {
        requireNonNull(key, "key is null");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a Crypto-PAn key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        return new CryptoPan(key);
    }

    /** The anonymized address, of the same family as {@code address}. */
    public InetAddress anonymize(InetAddress address)
    {
        byte[] anonymized = anonymize(address.getAddress());
        try {
            return InetAddress.getByAddress(anonymized);
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + anonymized.length + " bytes", e);
        }
    }

    /** The anonymized form of an address written as text; empty when the text is not a literal IPv4 or IPv6 address. */
    public Optional<String> anonymize(String addressText)
    {
        return Network.address(addressText).map(bytes -> {
            try {
                return InetAddress.getByAddress(anonymize(bytes)).getHostAddress();
            }
            catch (UnknownHostException e) {
                throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
            }
        });
    }

    /** Anonymizes 4 (IPv4) or 16 (IPv6) address bytes. Not thread-safe: one instance per thread. */
    public byte[] anonymize(byte[] address)
    {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        int bits = address.length * 8;
        byte[] oneTimePad = new byte[address.length];
        byte[] input = new byte[16];
        for (int position = 0; position < bits; position++) {
            // The first `position` bits come from the address, every later bit of the 128-bit block from the pad.
            System.arraycopy(pad, 0, input, 0, 16);
            int fullBytes = position / 8;
            System.arraycopy(address, 0, input, 0, fullBytes);
            int partialBits = position % 8;
            if (partialBits > 0) {
                int addressMask = (0xff << (8 - partialBits)) & 0xff;
                input[fullBytes] = (byte) ((address[fullBytes] & addressMask) | (pad[fullBytes] & ~addressMask & 0xff));
            }
            byte first = encrypt(input)[0];
            if ((first & 0x80) != 0) {
                oneTimePad[position / 8] |= (byte) (0x80 >>> (position % 8));
            }
        }
        byte[] result = new byte[address.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = (byte) (address[i] ^ oneTimePad[i]);
        }
        return result;
    }

    private byte[] encrypt(byte[] block)
    {
        try {
            return cipher.doFinal(block);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES block encryption failed", e);
        }
    }
}
