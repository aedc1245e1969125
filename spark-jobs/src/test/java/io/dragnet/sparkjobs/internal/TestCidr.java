package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCidr
{
    @Test
    void parsesAddressesStrictly()
    {
        assertThat(Cidr.parseIpv4("172.16.9.233")).isEqualTo(0xAC1009E9L);
        assertThat(Cidr.parseIpv4("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(Cidr.parseIpv4("0.0.0.0")).isZero();
        assertThat(Cidr.parseIpv4("256.1.1.1")).isNegative();
        assertThat(Cidr.parseIpv4("1.2.3")).isNegative();
        assertThat(Cidr.parseIpv4("1.2.3.4.5")).isNegative();
        assertThat(Cidr.parseIpv4("fe80::1")).isNegative();
        assertThat(Cidr.parseIpv4("1..2.3")).isNegative();
        assertThat(Cidr.parseIpv4(null)).isNegative();
    }

    @Test
    void containmentAndCanonicalForm()
    {
        Cidr net = Cidr.parse("172.16.9.77/24");
        assertThat(net.toString()).isEqualTo("172.16.9.0/24");
        assertThat(net.contains(Cidr.parseIpv4("172.16.9.255"))).isTrue();
        assertThat(net.contains(Cidr.parseIpv4("172.16.10.0"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.parseIpv4("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("8.8.8.8").prefixLength()).isEqualTo(32);
        assertThat(Cidr.prefixKey(Cidr.parseIpv4("10.1.2.3"), 8)).isEqualTo(10);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("evil.com")).hasMessageContaining("expected an IPv4 CIDR");
    }

    @Test
    void longestPrefixWins()
    {
        LongestPrefixTable<String> table = new LongestPrefixTable<>();
        table.put(Cidr.parse("172.16.0.0/12"), "corp");
        table.put(Cidr.parse("172.16.9.0/24"), "office");
        table.put(Cidr.parse("172.16.9.5/32"), "dc");
        table.put(Cidr.parse("172.16.9.0/24"), "ignored duplicate");
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.lookup("172.16.9.5")).contains("dc");
        assertThat(table.lookup("172.16.9.6")).contains("office");
        assertThat(table.lookup("172.17.0.1")).contains("corp");
        assertThat(table.lookup("192.168.0.1")).isEmpty();
        assertThat(table.lookup("not an ip")).isEmpty();
    }

    @Test
    void ipv6ContainmentWithoutNameLookups()
    {
        Ipv6CidrUdf udf = new Ipv6CidrUdf(java.util.List.of("fd00::/8", "2001:db8:1::/48"));
        assertThat(udf.call("fd12:3456::1")).isTrue();
        assertThat(udf.call("2001:db8:1:ffff::2")).isTrue();
        assertThat(udf.call("2001:db8:2::1")).isFalse();
        assertThat(udf.call("fe80::1%eth0")).isFalse();
        assertThat(udf.call("172.16.9.5")).isFalse();
        assertThat(udf.call("example.com")).as("never resolved").isFalse();
        assertThat(udf.call(null)).isFalse();
        assertThatThrownBy(() -> Ipv6CidrUdf.check("fd00::/129")).hasMessageContaining("0..128");
    }
}
