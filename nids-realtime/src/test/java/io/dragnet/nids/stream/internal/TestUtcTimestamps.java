package io.dragnet.nids.stream.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TestUtcTimestamps
{
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsAsTheJdkDoesAcrossDaysAndBeforeTheEpoch()
    {
        UtcTimestamps timestamps = new UtcTimestamps();
        SplittableRandom random = new SplittableRandom(5);
        long[] edges = {0, -1, 1_541_116_800_000L, 1_541_116_799_999L, 253_402_300_799_999L};
        for (long millis : edges) {
            assertThat(timestamps.timestamp(millis)).isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
        }
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(-86_400_000L * 365, 86_400_000L * 365 * 60);
            assertThat(timestamps.timestamp(millis)).isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
            assertThat(timestamps.day(millis)).isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(millis)).substring(0, 10));
        }
    }
}
