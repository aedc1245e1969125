package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.IocEntry;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestIocTables
{
    @Test
    void normalizesByKindAndDropsDuplicates()
    {
        List<IocEntry> domains = IocTables.parse(new StringReader("value,feed,confidence,first_seen,description\n*.Evil.COM.,urlhaus,90,2021-12-20 00:03:32,x\nevil.com,other,10,,\n"), "d.csv", "domain");
        assertThat(domains).containsExactly(new IocEntry("evil.com", "urlhaus", 90.0, "2021-12-20T00:03:32Z", "x"));
        assertThat(IocTables.parse(new StringReader("value\n10.1.2.3/8\n"), "c.csv", "cidr")).extracting(IocEntry::value).containsExactly("10.0.0.0/8");
        assertThat(IocTables.parse(new StringReader("value\n2001:DB8::/32\n"), "c6.csv", "cidr")).extracting(IocEntry::value).containsExactly("2001:db8::/32");
        assertThat(IocTables.parse(new StringReader("value\nMozilla/5.0 Evil\n"), "k.csv", "keyword")).extracting(IocEntry::value).containsExactly("Mozilla/5.0 Evil");
        assertThat(IocTables.parse(new StringReader("value\nABCDEF\n"), "h.csv", "md5")).extracting(IocEntry::value).containsExactly("abcdef");
    }

    @Test
    void badInputNamesFileAndLine()
    {
        assertThatThrownBy(() -> IocTables.parse(new StringReader("value,feed\n10.0.0.0/8,a\nnot-a-net,b\n"), "nets.csv", "cidr"))
                .isInstanceOf(DragnetException.class)
                .hasMessageStartingWith("nets.csv:3: expected an IPv4 CIDR");
        assertThatThrownBy(() -> IocTables.parse(new StringReader("indicator\n1.2.3.4\n"), "ips.csv", "ip"))
                .hasMessageStartingWith("ips.csv:1: expected a header with column 'value'");
        assertThatThrownBy(() -> IocTables.parse(new StringReader("value,confidence\n1.2.3.4,high\n"), "ips.csv", "ip"))
                .hasMessage("ips.csv:2: column confidence: expected a number, got 'high'");
    }

    @Test
    void domainGroupsByLabelCount()
    {
        LoadedIocTable table = new LoadedIocTable("d", "domain", List.of(new IocEntry("evil.com", null, null, null, null), new IocEntry("a.b.bad.org", null, null, null, null)));
        assertThat(IocJoins.groups(table).keySet()).containsExactly(4, 2);
    }
}
