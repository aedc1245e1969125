package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

public class TestEcsFields
{
    private static final List<String> AVAILABLE = List.of("seen_at", "flow_ref", "initiator_addr", "responder_port", "src_ip", "query", "duration", "host", "uri");

    private static JobSpec spec(Map<String, String> mapping, List<String> outputFields)
    {
        JobSpec.SourceSpec source = new JobSpec.SourceSpec("sensor_flows", "parquet", "file:///lake/sensor_flows/dt=2018-11-02", "seen_at",
                List.of(), mapping);
        JobSpec.RuleSpec rule = new JobSpec.RuleSpec("r", "r", "c2", "high", List.of(), new Predicate.FieldMatch("responder_port", "equals", List.of("449"), false, false),
                null, List.of(), outputFields, List.of());
        return new JobSpec(JobSpec.CURRENT_VERSION, "run-1", "2018-11-02", source, List.of(rule), List.of(), Map.of(),
                new JobSpec.Outputs(null, "file:///s", "file:///m.json", "file:///r", "file:///d"));
    }

    @Test
    public void documentFieldsComeFromTheDeclaredMappingOnly()
    {
        JobSpec.SourceSpec source = spec(Map.of("source.ip", "initiator_addr", "event.id", "flow_ref", "event.duration", "duration",
                "destination.ip", "not_in_the_day"), List.of()).source();
        // event.duration is not a document field, the day lacks not_in_the_day, and src_ip / query are not mapped
        assertThat(EcsFields.sourceFields(source, AVAILABLE)).containsExactly(Map.entry("event.id", "flow_ref"), Map.entry("source.ip", "initiator_addr"));
        assertThat(EcsFields.timeField(source, AVAILABLE)).contains("seen_at");
        assertThat(EcsFields.timeField(source, List.of("ts"))).isEmpty();
    }

    @Test
    public void aScanReadsTheMappedDocumentFieldsTheTimeAndTheRulesFields()
    {
        JobSpec spec = spec(Map.of("source.ip", "initiator_addr", "url.domain", "host", "url.original", "uri"), List.of("flow_ref"));
        assertThat(ScanFields.needed(spec, AVAILABLE)).contains(List.of("seen_at", "flow_ref", "initiator_addr", "responder_port", "host", "uri"));
        assertThat(ScanFields.needed(spec(Map.of(), List.of("flow_ref")), AVAILABLE)).contains(List.of("seen_at", "flow_ref", "responder_port"));
        assertThat(ScanFields.needed(spec(Map.of(), List.of()), AVAILABLE)).isEmpty();
    }

    @Test
    public void theMappingTravelsInTheSpecJson()
            throws Exception
    {
        JobSpec spec = spec(Map.of("source.ip", "initiator_addr"), List.of());
        assertThat(Json.mapper().readValue(Json.write(spec), JobSpec.class).source().mapping()).isEqualTo(Map.of("source.ip", "initiator_addr"));
    }
}
