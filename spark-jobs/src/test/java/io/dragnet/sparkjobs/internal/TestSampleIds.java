package io.dragnet.sparkjobs.internal;

import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The smallest distinct ids of a group, whatever order they come in. */
public class TestSampleIds
{
    @Test
    public void keepsTheSmallestDistinctIdsInAscendingOrder()
    {
        SampleIds samples = new SampleIds(3);
        for (String id : List.of("C5", "C9", "C5", "C2", "C7", "C1", "C2", "C8")) {
            samples.add(copy(id));
        }
        samples.add(null);
        assertThat(texts(samples)).containsExactly("C1", "C2", "C5");
    }

    @Test
    public void agreesWithASortedSetOnShuffledIds()
    {
        Random random = new Random(34);
        for (int round = 0; round < 200; round++) {
            int limit = random.nextInt(6);
            List<String> ids = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                ids.add("C" + random.nextInt(30));
            }
            Collections.shuffle(ids, random);
            SampleIds samples = new SampleIds(limit);
            ids.forEach(id -> samples.add(copy(id)));
            assertThat(texts(samples)).as("limit %d, ids %s", limit, ids).containsExactlyElementsOf(new TreeSet<>(ids).stream().limit(limit).toList());
        }
    }

    /**
     * Ids beyond ASCII are chosen and ordered as their Strings are: UTF-16 sorts characters past U+FFFF (surrogate
     * pairs) before U+E000-U+FFFF although their code points are larger, and invalid UTF-8 counts as the String it
     * decodes to (equal replacement characters are one id).
     */
    @Test
    public void ordersAndTellsApartIdsAsTheirStrings()
    {
        List<byte[]> alphabet = List.of(bytes("a"), bytes("b"), bytes("Z"), bytes("0"), bytes("\u00e9"), bytes("\ud7ff"), bytes("\ue000"), bytes("\uffee"), bytes("\ud83d\ude00"), bytes("\udbff\udfff"),
                new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        Random random = new Random(340);
        for (int round = 0; round < 300; round++) {
            int limit = random.nextInt(6);
            List<UTF8String> ids = new ArrayList<>();
            for (int i = random.nextInt(30); i > 0; i--) {
                java.io.ByteArrayOutputStream id = new java.io.ByteArrayOutputStream();
                for (int c = random.nextInt(4); c > 0; c--) {
                    id.writeBytes(alphabet.get(random.nextInt(alphabet.size())));
                }
                ids.add(UTF8String.fromBytes(id.toByteArray()));
            }
            SampleIds samples = new SampleIds(limit);
            for (UTF8String id : ids) {
                if (samples.mayKeep(id)) {
                    samples.add(SampleIds.copyOf(id));
                    continue;
                }
                List<String> before = texts(samples);
                samples.add(SampleIds.copyOf(id));
                assertThat(texts(samples)).as("an id the set may not keep, %s", id).isEqualTo(before);
            }
            List<String> expected = new TreeSet<>(ids.stream().map(UTF8String::toString).toList()).stream().limit(limit).toList();
            assertThat(texts(samples)).as("limit %d, ids %s", limit, ids).containsExactlyElementsOf(expected);
            assertThat(Arrays.stream(samples.ids()).map(UTF8String::getBytes)).as("the ids as their Strings encode")
                    .containsExactlyElementsOf(expected.stream().map(text -> text.getBytes(StandardCharsets.UTF_8)).toList());
        }
    }

    private static UTF8String copy(String id)
    {
        return SampleIds.copyOf(UTF8String.fromString(id));
    }

    private static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(SampleIds samples)
    {
        return Arrays.stream(samples.ids()).map(UTF8String::toString).toList();
    }

    @Test
    public void aClearedSetKeepsWhatANewOneKeeps()
    {
        SampleIds reused = new SampleIds(2);
        List.of("C1", "C0", "C3").forEach(id -> reused.add(copy(id)));
        reused.clear();
        List.of("C9", "C7", "C8").forEach(id -> reused.add(copy(id)));
        assertThat(texts(reused)).containsExactly("C7", "C8");
    }

    @Test
    public void keepsNothingWithALimitOfZero()
    {
        SampleIds samples = new SampleIds(0);
        samples.add(copy("C1"));
        assertThat(samples.ids()).isEmpty();
    }
}
