package io.dragnet.rules.internal;

import io.dragnet.rules.model.IocKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class TestIocValues
{
    @Test
    public void addressesAreNormalized()
    {
        assertThat(IocValues.ip("190.145.74.84")).hasValue("190.145.74.84");
        assertThat(IocValues.ip("2001:DB8:0:0:0:0:0:1")).hasValue("2001:db8::1");
        assertThat(IocValues.ip("2001:db8:0:0:1:0:0:1")).hasValue("2001:db8::1:0:0:1");
        assertThat(IocValues.ip("fe80:0:0:0:0:0:0:0")).hasValue("fe80::");
        assertThat(IocValues.ip("2001:db8:1:1:1:1:0:1")).hasValue("2001:db8:1:1:1:1:0:1");
        assertThat(IocValues.ip("256.1.1.1")).isEmpty();
        assertThat(IocValues.ip("01.1.1.1")).isEmpty();
        assertThat(IocValues.ip("example.com")).isEmpty();
        assertThat(IocValues.ip("1:2")).isEmpty();
    }

    @Test
    public void cidrsKeepTheirNetwork()
    {
        assertThat(IocValues.cidr("172.16.9.77/24")).hasValue("172.16.9.0/24");
        assertThat(IocValues.cidr("10.1.2.3")).hasValue("10.1.2.3/32");
        assertThat(IocValues.cidr("2001:db8::ff/120")).hasValue("2001:db8::/120");
        assertThat(IocValues.cidr("10.0.0.0/33")).isEmpty();
        assertThat(IocValues.cidr("10.0.0.0/x")).isEmpty();
    }

    @Test
    public void domainsAreLowerCaseWithoutTrailingDotOrWildcard()
    {
        assertThat(IocValues.domain("*.Evil.Example.")).hasValue("evil.example");
        assertThat(IocValues.domain("bücher.example")).hasValue("xn--bcher-kva.example");
        assertThat(IocValues.domain("1.2.3.4")).isEmpty();
        assertThat(IocValues.domain("bad domain.example")).isEmpty();
        assertThat(IocValues.domainOfUrl("http://Update.Byeux.com/arm7")).hasValue("update.byeux.com");
        assertThat(IocValues.domainOfUrl("http://117.209.87.242:60905/bin.sh")).isEmpty();
    }

    @Test
    public void hashesAreCheckedByLength()
    {
        assertThat(IocValues.normalize(IocKind.MD5, "44D88612FEA8A8F36DE82E1278ABB02F").value()).isEqualTo("44d88612fea8a8f36de82e1278abb02f");
        assertThat(IocValues.normalize(IocKind.SHA1, "44d88612fea8a8f36de82e1278abb02f").problem())
                .isEqualTo("'44d88612fea8a8f36de82e1278abb02f' is not a SHA-1 hash; expected 40 hex digits");
        assertThat(IocValues.normalize(IocKind.URL, "evil.example/a").problem()).isEqualTo("'evil.example/a' is not a URL with a scheme, e.g. http://host/path");
    }
}
