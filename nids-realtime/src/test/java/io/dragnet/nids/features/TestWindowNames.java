package io.dragnet.nids.features;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestWindowNames
{
    @Test
    void equalTextsShareAnIdUntilTheLastReferenceGoes()
    {
        WindowNames names = new WindowNames(3);
        int first = names.acquire("10.0.0.1");
        assertThat(names.acquire(new String("10.0.0.1"))).isEqualTo(first);
        int second = names.acquire("fe80::1");
        assertThat(second).isNotEqualTo(first);

        names.release(first);
        assertThat(names.size()).isEqualTo(2);
        names.release(first);
        assertThat(names.size()).isEqualTo(1);

        // the freed id is reused, so ids stay below the capacity however many texts pass through
        assertThat(names.acquire("http")).isEqualTo(first);
        assertThat(names.acquire("dns")).isLessThan(3);
    }
}
