package io.dragnet.nids.data;

import org.junit.jupiter.api.Test;

import static io.dragnet.nids.data.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

class TestSessionCodec
{
    @Test
    void roundTripsASessionWithItsSendTime()
    {
        SensorSession session = session("2018-11-02-1-7", "59.166.0.3", 40000, "149.171.126.2", 80, "http");
        session.measures()[0] = 0.123456;
        SessionCodec.Decoded decoded = SessionCodec.decode(SessionCodec.encode(session, 1_541_116_800_123L));
        assertThat(decoded.ok()).isTrue();
        assertThat(decoded.sentAtMs()).isEqualTo(1_541_116_800_123L);
        assertThat(decoded.session().sessionId()).isEqualTo("2018-11-02-1-7");
        assertThat(decoded.session().dstPort()).isEqualTo(80);
        assertThat(decoded.session().measures()).containsExactly(session.measures());
    }

    @Test
    void namesWhatIsWrongWithAMalformedRecord()
    {
        String good = SessionCodec.encode(session("a", "10.0.0.1", 1, "10.0.0.2", 2, "-"), 5);
        assertThat(SessionCodec.decode((String) null).error()).isEqualTo("record value is null");
        assertThat(SessionCodec.decode((byte[]) null).error()).isEqualTo("record value is null");
        assertThat(SessionCodec.decode("not,a,session").error()).startsWith("expected " + SessionCodec.FIELDS + " comma-separated fields");
        assertThat(SessionCodec.decode(good.replace(",10.0.0.2,", ",10.0.0.256,")).error()).isEqualTo("field dst_ip: expected an IPv4 or IPv6 address, found '10.0.0.256'");
        assertThat(SessionCodec.decode(good.replaceFirst(",1,", ",70000,")).error()).isEqualTo("field src_port: expected a port 0-65535, found 70000");
        assertThat(SessionCodec.decode(good.substring(0, good.lastIndexOf(',')) + ",NaN").error()).isEqualTo("field ftp_commands: expected a finite number, found 'NaN'");
        assertThat(SessionCodec.decode(good.replace(",1000,2000,", ",2000,1000,")).error()).isEqualTo("end_ms 1000 is before start_ms 2000");
        assertThat(SessionCodec.decode(good + ",").error()).startsWith("expected " + SessionCodec.FIELDS + " comma-separated fields").endsWith("found " + (SessionCodec.FIELDS + 1));
        assertThat(SessionCodec.decode("," + good.substring(good.indexOf(',') + 1)).error()).isEqualTo("field session_id is empty");
        assertThat(SessionCodec.decode(good.replace(",1000,2000,", ",1000,,")).error()).isEqualTo("field end_ms: expected an integer, found ''");
        assertThat(SessionCodec.decode(good.replace(",1000,2000,", ",1000,2e3,")).error()).isEqualTo("field end_ms: expected an integer, found '2e3'");
        assertThat(SessionCodec.decode(good.replace(",1000,2000,", ",1000,99999999999999999999,")).error()).isEqualTo("field end_ms: expected an integer, found '99999999999999999999'");
        assertThat(SessionCodec.decode(good.replace(",1000,2000,", ",1000,-,")).error()).isEqualTo("field end_ms: expected an integer, found '-'");
    }

    @Test
    void keepsTextFieldsAsTheirUtf8SpellsThem()
    {
        String line = SessionCodec.encode(session("sensor-é-7", "10.0.0.1", 1, "10.0.0.2", 2, "-"), 5);
        SessionCodec.Decoded decoded = SessionCodec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(decoded.error()).isNull();
        assertThat(decoded.session().sessionId()).isEqualTo("sensor-é-7");
        assertThat(decoded.session().srcIp()).isEqualTo("10.0.0.1");
        assertThat(SessionCodec.decode(line)).usingRecursiveComparison().isEqualTo(decoded);
    }

    @Test
    void acceptsDottedQuadsAndIpv6TextOnly()
    {
        for (String address : new String[] {"0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.010.001"}) {
            assertThat(SessionCodec.isIpv4(address)).as(address).isTrue();
        }
        for (String address : new String[] {"", ".", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "256.1.1.1", "1.2.3.4567", "1.2.3.a", "1.2.3.-4", "fe80::1"}) {
            assertThat(SessionCodec.isIpv4(address)).as(address).isFalse();
        }
        String good = SessionCodec.encode(session("a", "10.0.0.1", 1, "10.0.0.2", 2, "-"), 5);
        assertThat(SessionCodec.decode(good.replace(",10.0.0.2,", ",fe80::1:2,")).ok()).isTrue();
        assertThat(SessionCodec.decode(good.replace(",10.0.0.2,", ",fe80::g,")).error()).isEqualTo("field dst_ip: expected an IPv4 or IPv6 address, found 'fe80::g'");
    }

    @Test
    void readsTheSendTimeAloneOrSaysItCannot()
    {
        String line = SessionCodec.encode(session("a", "10.0.0.1", 1, "10.0.0.2", 2, "-"), 1_541_116_800_123L);
        assertThat(SessionCodec.sentAtMs(line)).isEqualTo(1_541_116_800_123L).isEqualTo(SessionCodec.decode(line).sentAtMs());
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9,42")).isEqualTo(42);
        assertThat(SessionCodec.sentAtMs((String) null)).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs((byte[]) null)).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(1_541_116_800_123L);
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9")).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9,,x")).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9,4x2,x")).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9,-5,x")).isEqualTo(-1);
        assertThat(SessionCodec.sentAtMs("0,1,2,3,4,5,6,7,8,9,1234567890123456789,x")).isEqualTo(-1);
    }
}
