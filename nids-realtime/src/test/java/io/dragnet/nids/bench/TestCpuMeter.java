package io.dragnet.nids.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestCpuMeter
{
    @Test
    void perSessionFiguresDivideTheCpuTimesByTheSessions()
    {
        Map<String, Object> figures = new CpuMeter.Usage(2_000_000_000L, 1_000_000_000L, 500_000_000L).perSession(1000);

        assertThat(figures.get("streaming_jvm_cpu_us_per_session")).isEqualTo(1000.0);
        assertThat(figures.get("broker_cpu_us_per_session")).isEqualTo(500.0);
        assertThat(figures.get("cores_busy")).isEqualTo(0.75);
        assertThat(new CpuMeter.Usage(1, 1, -1).perSession(1).get("broker_cpu_us_per_session")).isNull();
    }

    @Test
    void measuresThisJvmAndAnotherProcess()
    {
        CpuMeter meter = new CpuMeter(ProcessHandle.current().pid());
        meter.start();
        long sum = 0;
        for (long deadline = System.nanoTime() + 50_000_000L; System.nanoTime() < deadline; ) {
            sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
        }

        CpuMeter.Usage usage = meter.stop();

        assertThat(sum).isPositive();
        assertThat(usage.wallNanos()).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(usage.ownCpuNanos()).isPositive();
        assertThat(usage.otherCpuNanos()).isNotNegative();
    }
}
