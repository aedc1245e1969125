package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.IocEntry;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

import java.util.Comparator;
import java.util.List;

/**
 * The indicator of the most specific IPv6 CIDR entry of an IoC table containing an address (IPv4 entries are joined
 * instead, see {@link IocJoins}). IPv6 feeds are short, so a scan of the entries per address is enough.
 */
final class Ipv6IndicatorUdf
        implements UDF1<String, Row>
{
    private final List<IocEntry> entries;
    private final List<Ipv6CidrUdf> matchers;
    private final String kind;
    private final String table;

    Ipv6IndicatorUdf(List<IocEntry> entries, String kind, String table)
    {
        this.entries = entries.stream().sorted(Comparator.comparingInt((IocEntry entry) -> prefixLength(entry.value())).reversed()).toList();
        this.matchers = this.entries.stream().map(entry -> new Ipv6CidrUdf(List.of(entry.value()))).toList();
        this.kind = kind;
        this.table = table;
    }

    @Override
    public Row call(String address)
    {
        if (address == null || address.indexOf(':') < 0) {
            return null;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (matchers.get(i).call(address)) {
                IocEntry entry = entries.get(i);
                return RowFactory.create(entry.value(), kind, table, entry.feed(), entry.confidence(), entry.firstSeen());
            }
        }
        return null;
    }

    private static int prefixLength(String cidr)
    {
        int slash = cidr.indexOf('/');
        return slash < 0 ? 128 : Integer.parseInt(cidr.substring(slash + 1));
    }
}
