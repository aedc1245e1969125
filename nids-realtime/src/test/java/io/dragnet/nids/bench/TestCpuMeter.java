package io.dragnet.nids.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
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
        long begin = processCpuNanos();
        long sum = 0;
        // spin until this JVM has used 50 ms of CPU, however busy the host keeps the cores
        while (processCpuNanos() - begin < 50_000_000L) {
            sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
        }

        CpuMeter.Usage usage = meter.stop();

        assertThat(sum).isPositive();
        assertThat(usage.ownCpuNanos()).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(usage.wallNanos()).isPositive();
        assertThat(usage.otherCpuNanos()).isNotNegative();
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
