package io.dragnet.opensearch.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestRetentionSweep
{
    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

    @Test
    void deletesOnlyIndicesCreatedBeforeTheRetention()
    {
        List<RetentionSweep.IndexAge> indices = List.of(
                new RetentionSweep.IndexAge("dragnet-c2-2026.08.01-r1", Instant.parse("2026-08-01T03:00:00Z")),
                new RetentionSweep.IndexAge("dragnet-c2-2026.08.24-r1", Instant.parse("2026-08-24T06:00:01Z")),
                new RetentionSweep.IndexAge("dragnet-verdicts-2026.08.23", Instant.parse("2026-08-23T06:00:00Z")),
                new RetentionSweep.IndexAge("dragnet-dns-2026.11.21-r9", Instant.parse("2026-11-21T03:00:00Z")));

        assertThat(RetentionSweep.expired(indices, NOW, 90)).containsExactly("dragnet-c2-2026.08.01-r1", "dragnet-verdicts-2026.08.23");
    }

    @Test
    void theLedgerIsNeverAPatternOfTheSweep()
    {
        List<String> patterns = RetentionSweep.Scope.defaults().indexPatterns();
        assertThat(patterns).contains("dragnet-c2-*", "dragnet_sandbox-c2-*", "dragnet_sandbox-c2_restricted-*", "dragnet-verdicts-*").doesNotContain("dragnet-runs", "dragnet-runs-*");
    }
}
