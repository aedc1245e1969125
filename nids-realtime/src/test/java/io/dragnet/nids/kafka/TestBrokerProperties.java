package io.dragnet.nids.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class TestBrokerProperties
{
    @Test
    void brokerListensOnLoopbackOnlyWithThreadsSizedForTwoCores()
            throws IOException
    {
        Properties properties = new Properties();
        properties.load(new StringReader(LocalKafkaBroker.serverProperties(Path.of("/tmp/kafka-data"), 19092, 19093)));

        assertThat(properties.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(properties.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(properties.getProperty("log.dirs")).isEqualTo(Path.of("/tmp/kafka-data").toAbsolutePath().toString());
        assertThat(properties.getProperty("num.network.threads")).isEqualTo("1");
        assertThat(properties.getProperty("num.io.threads")).isEqualTo("2");
    }
}
