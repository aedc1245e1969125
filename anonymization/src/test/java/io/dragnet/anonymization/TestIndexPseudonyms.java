package io.dragnet.anonymization;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestIndexPseudonyms
{
    private static final SharingKeys KEYS = SharingKeys.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));

    @Test
    void addsEachAddressesPseudonymAndTextBesideIt()
    {
        Map<String, Object> document = new LinkedHashMap<>(Map.of("source.ip", "10.1.2.3", "source.port", 51000, "destination.ip", "2001:db8::1", "rule.id", "r"));
        new IndexPseudonyms(KEYS).addTo(document);

        CryptoPan cryptoPan = KEYS.cryptoPan();
        assertThat(document).isEqualTo(Map.of(
                "source.ip", "10.1.2.3", "source.port", 51000, "destination.ip", "2001:db8::1", "rule.id", "r",
                "source.address", "10.1.2.3", "destination.address", "2001:db8::1",
                "pseudonym.source.ip", cryptoPan.anonymize("10.1.2.3").orElseThrow(),
                "pseudonym.destination.ip", cryptoPan.anonymize("2001:db8::1").orElseThrow()));
        assertThat(cryptoPan.anonymize("10.1.2.3").orElseThrow()).isNotEqualTo("10.1.2.3");
    }

    @Test
    void keepsPrefixesSoSubnetQueriesWorkOnPseudonyms()
    {
        IndexPseudonyms pseudonyms = new IndexPseudonyms(KEYS);
        byte[] first = Network.address(pseudonyms.address("192.168.7.9").orElseThrow()).orElseThrow();
        byte[] second = Network.address(pseudonyms.address("192.168.7.200").orElseThrow()).orElseThrow();
        byte[] elsewhere = Network.address(pseudonyms.address("192.168.8.9").orElseThrow()).orElseThrow();
        assertThat(new Network(first, 24).contains(second)).isTrue();
        assertThat(new Network(first, 24).contains(elsewhere)).isFalse();
        assertThat(new Network(first, 20).contains(elsewhere)).isTrue();
    }

    @Test
    void documentsWithoutAddressesAreLeftAlone()
    {
        Map<String, Object> document = new LinkedHashMap<>(Map.of("source.ip", "not-an-address", "dns.question.name", "example.com"));
        Map<String, Object> before = Map.copyOf(document);
        new IndexPseudonyms(KEYS).addTo(document);
        assertThat(document).isEqualTo(before);
        assertThat(new IndexPseudonyms(KEYS).address("example.com")).isEmpty();
    }
}
