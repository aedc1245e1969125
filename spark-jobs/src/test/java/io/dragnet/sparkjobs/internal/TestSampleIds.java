package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
            samples.add(id);
        }
        samples.add(null);
        assertThat(samples.ids()).containsExactly("C1", "C2", "C5");
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
            ids.forEach(samples::add);
            assertThat(samples.ids()).as("limit %d, ids %s", limit, ids).containsExactlyElementsOf(new TreeSet<>(ids).stream().limit(limit).toList());
        }
    }

    @Test
    public void keepsNothingWithALimitOfZero()
    {
        SampleIds samples = new SampleIds(0);
        samples.add("C1");
        assertThat(samples.ids()).isEmpty();
    }
}
