package io.dragnet.nids.stream.internal;

import io.dragnet.contracts.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestSourceMarks
{
    @Test
    void onlyOffsetsAboveTheMarkOfTheirKindAndPartitionAreNew()
    {
        SourceMarks marks = SourceMarks.EMPTY.advance(Map.of("verdict", Map.of(0, 10L, 1, 3L), "dead", Map.of(0, 4L)));

        assertThat(marks.isNew("verdict", 0, 10)).isFalse();
        assertThat(marks.isNew("verdict", 0, 11)).isTrue();
        assertThat(marks.isNew("verdict", 1, 3)).isFalse();
        assertThat(marks.isNew("verdict", 2, 0)).isTrue();
        assertThat(marks.isNew("dead", 0, 5)).isTrue();
        assertThat(marks.isNew("dead", 1, 0)).isTrue();
    }

    @Test
    void marksOnlyRise()
    {
        SourceMarks marks = SourceMarks.EMPTY.advance(Map.of("verdict", Map.of(0, 10L)))
                .advance(Map.of("verdict", Map.of(0, 7L, 1, 2L)));

        assertThat(marks.mark("verdict", 0)).isEqualTo(10L);
        assertThat(marks.mark("verdict", 1)).isEqualTo(2L);
        assertThat(marks.mark("dead", 0)).isEqualTo(-1L);
    }

    @Test
    void roundTripsThroughJson()
            throws Exception
    {
        SourceMarks marks = SourceMarks.EMPTY.advance(Map.of("verdict", Map.of(0, 10L, 1, 3L)));

        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(marks), SourceMarks.class)).isEqualTo(marks);
    }
}
