package io.dragnet.sharing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Name-based (version 5, SHA-1) UUIDs, so the same export gives the same object ids every time it is made. */
final class StableIds
{
    /** The namespace STIX 2.1 prescribes for the deterministic ids of cyber-observable objects. */
    static final UUID STIX_OBSERVABLES = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");
    /** dragnet's own namespace for the ids of the objects it produces. */
    static final UUID DRAGNET = UUID.fromString("5b1e4a8e-7f0c-5d53-9a51-2d0c6a1e9f3b");

    private StableIds() {}

    static UUID uuid5(UUID namespace, String name)
    {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer buffer = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
