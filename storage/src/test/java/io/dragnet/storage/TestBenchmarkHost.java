package io.dragnet.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestBenchmarkHost
{
    @Test
    void theCpuModelIsTheFirstModelNameOfCpuInfo()
    {
        List<String> lines = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model\t\t: 1", "model name\t: AMD EPYC 7B13", "",
                "processor\t: 1", "model name\t: Other CPU");
        assertThat(BenchmarkHost.cpuModel(lines, "amd64")).isEqualTo("AMD EPYC 7B13");
    }

    @Test
    void withoutAModelNameTheFallbackIsUsed()
    {
        assertThat(BenchmarkHost.cpuModel(List.of("processor\t: 0", "model\t\t: 1", "model name\t:   "), "aarch64")).isEqualTo("aarch64");
        assertThat(BenchmarkHost.cpuModel(List.of(), "aarch64")).isEqualTo("aarch64");
    }
}
