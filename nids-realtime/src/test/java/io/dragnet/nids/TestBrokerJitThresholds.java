package io.dragnet.nids;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestBrokerJitThresholds
{
    @Test
    void brokerGetsTheLaunchingJvmsTier4ThresholdsInTheirOrder()
    {
        List<String> launcher = List.of("-Xmx6g", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:Tier4InvocationThreshold=50000", "-XX:-DontCompileHugeMethods",
                "-XX:Tier4CompileThreshold=60000", "-Dtier4=x", "-XX:Tier3InvocationThreshold=100", "-XX:Tier4BackEdgeThreshold=400000");

        assertThat(LocalKafkaBroker.jitThresholds(launcher))
                .containsExactly("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=400000");
    }

    @Test
    void noThresholdsNoFlags()
    {
        assertThat(LocalKafkaBroker.jitThresholds(List.of("-Xmx6g", "-XX:+UseG1GC"))).isEmpty();
    }
}
