package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sigma's correlation types over one group's hits: hand-written hits in, the windows out. */
class TestCorrelationWindows
{
    private static final long MINUTE = 60_000;

    private static CorrelationWindows.Hit hit(long minute, int rule, String id)
    {
        return new CorrelationWindows.Hit(minute * MINUTE, rule, id, null);
    }

    private static List<String> ids(CorrelationWindows.Window window)
    {
        return window.hits().stream().map(CorrelationWindows.Hit::id).toList();
    }

    @Test
    void eventCountOpensAWindowAtAHitAndEachHitCountsOnce()
    {
        List<CorrelationWindows.Hit> hits = List.of(hit(0, 0, "a"), hit(4, 0, "b"), hit(10, 0, "c"), hit(11, 0, "d"), hit(30, 0, "e"), hit(31, 0, "f"));
        List<CorrelationWindows.Window> windows = CorrelationWindows.find("event_count", 1, 10 * MINUTE, Map.of("gte", 3.0), hits);
        // [0, 10] holds a, b, c (the end is inside); d starts no window of 3; e, f are two
        assertThat(windows).hasSize(1);
        assertThat(ids(windows.get(0))).containsExactly("a", "b", "c");
        assertThat(windows.get(0).start()).isEqualTo(0);
        assertThat(windows.get(0).end()).isEqualTo(10 * MINUTE);
        assertThat(windows.get(0).count()).isEqualTo(3.0);
        assertThat(CorrelationWindows.find("event_count", 1, 10 * MINUTE, Map.of("gt", 1.0, "lte", 2.0), hits)).extracting(CorrelationWindows::rulesOf)
                .hasSize(2);
    }

    @Test
    void valueCountCountsDistinctValues()
    {
        List<CorrelationWindows.Hit> hits = List.of(new CorrelationWindows.Hit(0, 0, "a", "x"), new CorrelationWindows.Hit(MINUTE, 0, "b", "x"),
                new CorrelationWindows.Hit(2 * MINUTE, 0, "c", "y"), new CorrelationWindows.Hit(3 * MINUTE, 0, "d", null));
        assertThat(CorrelationWindows.find("value_count", 1, 5 * MINUTE, Map.of("gte", 3.0), hits)).isEmpty();
        assertThat(CorrelationWindows.find("value_count", 1, 5 * MINUTE, Map.of("eq", 2.0), hits)).singleElement()
                .satisfies(window -> assertThat(window.count()).isEqualTo(2.0));
    }

    @Test
    void temporalNeedsEveryRuleWithinTheTimespanInAnyOrder()
    {
        assertThat(CorrelationWindows.find("temporal", 2, 10 * MINUTE, Map.of(), List.of(hit(0, 1, "b"), hit(9, 0, "a")))).singleElement()
                .satisfies(window -> assertThat(ids(window)).containsExactly("b", "a"));
        assertThat(CorrelationWindows.find("temporal", 2, 10 * MINUTE, Map.of(), List.of(hit(0, 1, "b"), hit(11, 0, "a")))).isEmpty();
        assertThat(CorrelationWindows.find("temporal", 3, 10 * MINUTE, Map.of("gte", 2.0), List.of(hit(0, 1, "b"), hit(5, 0, "a")))).hasSize(1);
    }

    @Test
    void temporalOrderedNeedsTheRulesInTheirOrder()
    {
        // the window opens at the first rule's hit: the earlier b does not belong to it
        assertThat(CorrelationWindows.find("temporal_ordered", 2, 10 * MINUTE, Map.of(), List.of(hit(0, 1, "b0"), hit(1, 0, "a"), hit(5, 1, "b"))))
                .singleElement().satisfies(window -> {
                    assertThat(ids(window)).containsExactly("a", "b");
                    assertThat(window.start()).isEqualTo(MINUTE);
                });
        assertThat(CorrelationWindows.find("temporal_ordered", 2, 10 * MINUTE, Map.of(), List.of(hit(0, 1, "b"), hit(5, 0, "a")))).isEmpty();
        assertThat(CorrelationWindows.find("temporal_ordered", 2, 10 * MINUTE, Map.of(), List.of(hit(0, 0, "a"), hit(11, 1, "b")))).isEmpty();
        // at the same moment, the listed order decides
        assertThat(CorrelationWindows.find("temporal_ordered", 2, 10 * MINUTE, Map.of(), List.of(hit(3, 1, "b"), hit(3, 0, "a")))).hasSize(1);
    }
}
