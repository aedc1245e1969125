package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestStorage
{
    @Test
    void objectStoresAreRecognizedByScheme()
    {
        assertThat(Storage.isObjectStore("s3://bucket/results/documents")).isTrue();
        assertThat(Storage.isObjectStore("s3a://bucket/results/documents")).isTrue();
        assertThat(Storage.isObjectStore("S3A://bucket/x")).isTrue();
        assertThat(Storage.isObjectStore("gs://bucket/x")).isTrue();
        assertThat(Storage.isObjectStore("abfss://container@account.dfs.core.windows.net/x")).isTrue();
        assertThat(Storage.isObjectStore("file:///tmp/results/documents")).isFalse();
        assertThat(Storage.isObjectStore("hdfs://namenode:8020/results")).isFalse();
        assertThat(Storage.isObjectStore("relative/path")).isFalse();
    }
}
