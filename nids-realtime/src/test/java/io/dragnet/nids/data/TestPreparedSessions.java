package io.dragnet.nids.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.dragnet.nids.data.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

class TestPreparedSessions
{
    @Test
    void stampsEachSessionAsTheCodecEncodesIt()
    {
        Random random = new Random(7);
        List<SensorSession> sessions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            SensorSession session = session((i % 7 == 0 ? "sensor-é-" : "s-") + i, "10.0.0." + (i % 250), 1024 + i, "149.171.126." + (i % 20), 80, i % 3 == 0 ? "-" : "http");
            for (int m = 0; m < session.measures().length; m++) {
                session.measures()[m] = m % 2 == 0 ? random.nextInt(100_000) : random.nextDouble() * 1000;
            }
            sessions.add(session);
        }
        // chunks of 1 KB: a few sessions each, so lines are read across many chunks and from a chunk's very start
        for (PreparedSessions prepared : List.of(PreparedSessions.of(sessions), PreparedSessions.of(sessions, 1024), PreparedSessions.of(sessions, 16))) {
            assertThat(prepared.size()).isEqualTo(sessions.size());
            for (int i = 0; i < sessions.size(); i++) {
                long sentAt = i % 5 == 0 ? i : 1_541_116_800_000L + i;
                assertThat(new String(prepared.line(i, sentAt), StandardCharsets.UTF_8)).isEqualTo(SessionCodec.encode(sessions.get(i), sentAt));
                assertThat(new String(prepared.key(i), StandardCharsets.UTF_8)).isEqualTo(sessions.get(i).sessionId());
            }
        }
    }

    @Test
    void writesSendTimesOfEveryLength()
    {
        SensorSession session = session("a", "10.0.0.1", 1, "10.0.0.2", 2, "-");
        PreparedSessions prepared = PreparedSessions.of(List.of(session));
        for (long value : new long[] {0, 9, 10, 99, 100, 999_999_999_999L, 1_000_000_000_000L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE}) {
            assertThat(PlainInteger.length(value)).as("%d", value).isEqualTo(Long.toString(value).length());
            assertThat(new String(prepared.line(0, value), StandardCharsets.UTF_8)).isEqualTo(SessionCodec.encode(session, value));
        }
    }

    @Test
    void holdsNoSessionsWhenGivenNone()
    {
        assertThat(PreparedSessions.of(List.of()).size()).isZero();
    }
}
