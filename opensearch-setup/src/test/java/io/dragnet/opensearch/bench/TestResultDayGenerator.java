package io.dragnet.opensearch.bench;

import io.dragnet.opensearch.DocumentMappings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestResultDayGenerator
{
    private static final LocalDate DAY = LocalDate.of(2018, 11, 2);

    @Test
    void documentsAreDeterministicAndUseOnlyMappedFields()
    {
        ResultDayGenerator first = ResultDayGenerator.standard(DAY);
        ResultDayGenerator second = ResultDayGenerator.standard(DAY);
        for (long i = 0; i < 1_000; i++) {
            ResultDayGenerator.Document document = first.document(i);
            assertThat(second.document(i)).isEqualTo(document);
            assertThat(DocumentMappings.RESULT_FIELDS.keySet()).containsAll(document.source().keySet());
            assertThat(document.id()).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void timestampsCoverTheDayAndValuesComeFromThePools()
    {
        ResultDayGenerator generator = ResultDayGenerator.standard(DAY);
        Set<Integer> hours = new HashSet<>();
        Set<String> ids = new HashSet<>();
        Set<String> sources = Set.copyOf(generator.sourcePool());
        Set<String> destinations = Set.copyOf(generator.destinationPool());
        Set<String> domains = Set.copyOf(generator.domainPool());
        int withDomain = 0;
        for (long i = 0; i < 10_000; i++) {
            ResultDayGenerator.Document document = generator.document(i);
            Map<String, Object> source = document.source();
            Instant timestamp = Instant.parse((String) source.get("@timestamp"));
            assertThat(timestamp).isBetween(Instant.parse("2018-11-02T00:00:00Z"), Instant.parse("2018-11-02T23:59:59.999Z"));
            hours.add(timestamp.atZone(java.time.ZoneOffset.UTC).getHour());
            assertThat(sources.contains((String) source.get("source.ip"))).as("source.ip %s in the pool", source.get("source.ip")).isTrue();
            assertThat(destinations.contains((String) source.get("destination.ip"))).as("destination.ip %s in the pool", source.get("destination.ip")).isTrue();
            Object domain = source.getOrDefault("dns.question.name", source.get("url.domain"));
            if (domain != null) {
                withDomain++;
                assertThat(domains.contains((String) domain)).as("domain %s in the pool", domain).isTrue();
            }
            ids.add(document.id());
        }
        assertThat(hours).hasSize(24);
        assertThat(ids).hasSize(10_000);
        assertThat(withDomain).isBetween(3_000, 6_000);
        assertThat(sources).hasSize(generator.sourcePool().size());
    }
}
