package io.dragnet.anonymization;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TestCryptoPan
{
    // The sample key of the Crypto-PAn reference distribution.
    static final byte[] REFERENCE_KEY = {
            21, 34, 23, (byte) 141, 51, (byte) 164, (byte) 207, (byte) 128, 19, 10, 91, 22, 73, (byte) 144, 125, 16,
            (byte) 216, (byte) 152, (byte) 143, (byte) 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, (byte) 132, 34, 2};

    // Pairs from the reference distribution's sample trace (raw → anonymized with the key above).
    private static final String[][] REFERENCE_VECTORS = {
            {"128.11.68.132", "135.242.180.132"}, {"129.118.74.4", "134.136.186.123"},
            {"130.132.252.244", "133.68.164.234"}, {"141.223.7.43", "141.167.8.160"},
            {"141.233.145.108", "141.129.237.235"}, {"152.163.225.39", "151.140.114.167"},
            {"156.29.3.236", "147.225.12.42"}, {"165.247.96.84", "162.9.99.234"},
            {"166.107.77.190", "160.132.178.185"}, {"192.102.249.13", "252.138.62.131"},
            {"192.215.32.125", "252.43.47.189"}, {"192.233.80.103", "252.25.108.8"},
            {"192.41.57.43", "252.222.221.184"}, {"193.150.244.223", "253.169.52.216"},
            {"195.205.63.100", "255.186.223.5"}, {"198.200.171.101", "249.199.68.213"},
            {"24.0.250.221", "100.15.198.226"}, {"4.3.88.225", "124.60.155.63"},
            {"64.14.118.196", "0.255.183.58"}, {"10.185.25.118", "117.161.29.118"}};

    // IPv6 answers of the 128-bit generalization as published with other independent implementations.
    private static final String[][] IPV6_VECTORS = {
            {"::1", "78ff:f001:9fc0:20df:8380:b1f1:704:ed"},
            {"::2", "78ff:f001:9fc0:20df:8380:b1f1:704:ef"},
            {"::ffff", "78ff:f001:9fc0:20df:8380:b1f1:704:f838"},
            {"2001:db8::1", "4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1e"},
            {"2001:db8::2", "4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1c"}};

    @Test
    void matchesTheReferenceTrace()
            throws Exception
    {
        CryptoPan pan = CryptoPan.withKey(REFERENCE_KEY);
        for (String[] vector : REFERENCE_VECTORS) {
            assertThat(pan.anonymize(InetAddress.getByName(vector[0])).getHostAddress()).as(vector[0]).isEqualTo(vector[1]);
        }
    }

    @Test
    void matchesPublishedIpv6Answers()
            throws Exception
    {
        CryptoPan pan = CryptoPan.withKey(REFERENCE_KEY);
        for (String[] vector : IPV6_VECTORS) {
            assertThat(pan.anonymize(InetAddress.getByName(vector[0]))).as(vector[0]).isEqualTo(InetAddress.getByName(vector[1]));
        }
    }

    @Test
    void preservesExactlyTheSharedPrefix()
    {
        Random random = new Random(7);
        byte[] key = new byte[CryptoPan.KEY_BYTES];
        random.nextBytes(key);
        CryptoPan pan = CryptoPan.withKey(key);
        for (int length : new int[] {4, 16}) {
            for (int trial = 0; trial < 400; trial++) {
                byte[] a = new byte[length];
                random.nextBytes(a);
                byte[] b = a.clone();
                // Flip one bit at a random position, then randomize everything after it: a and b share exactly `shared` bits.
                int shared = random.nextInt(length * 8);
                flip(b, shared);
                for (int bit = shared + 1; bit < length * 8; bit++) {
                    if (random.nextBoolean()) {
                        flip(b, bit);
                    }
                }
                assertThat(commonPrefix(pan.anonymize(a), pan.anonymize(b))).isEqualTo(shared);
            }
        }
    }

    @Test
    void isAOneToOneMapAndDependsOnTheKey()
    {
        CryptoPan pan = CryptoPan.withKey(REFERENCE_KEY);
        byte[] other = REFERENCE_KEY.clone();
        other[31] ^= 1;
        CryptoPan otherPan = CryptoPan.withKey(other);
        java.util.Set<Integer> images = new java.util.HashSet<>();
        int differing = 0;
        for (int host = 0; host < 4096; host++) {
            byte[] address = {10, 1, (byte) (host >>> 8), (byte) host};
            images.add(java.nio.ByteBuffer.wrap(pan.anonymize(address)).getInt());
            if (!java.util.Arrays.equals(pan.anonymize(address), otherPan.anonymize(address))) {
                differing++;
            }
        }
        assertThat(images).hasSize(4096);
        assertThat(differing).isGreaterThan(4000);
    }

    private static void flip(byte[] bytes, int bit)
    {
        bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    }

    private static int commonPrefix(byte[] a, byte[] b)
    {
        for (int bit = 0; bit < a.length * 8; bit++) {
            if (((a[bit / 8] ^ b[bit / 8]) & (0x80 >>> (bit % 8))) != 0) {
                return bit;
            }
        }
        return a.length * 8;
    }
}
