package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

/** Column references by exact name: names with dots (Zeek's {@code id.orig_h}, ECS's {@code source.ip}) are quoted, never parsed. */
public final class Columns
{
    private static final UserDefinedFunction IPV4_NULLABLE = udf((UDF1<String, Long>) Columns::ipv4OrNull, DataTypes.LongType);

    private Columns() {}

    public static Column field(String name)
    {
        return col(quote(name));
    }

    public static String quote(String name)
    {
        return "`" + name.replace("`", "``") + "`";
    }

    /** The IPv4 address of a string column as an unsigned number, null when it is not a dotted quad (IPv6, junk). */
    public static Column ipv4(Column address)
    {
        return IPV4_NULLABLE.apply(address);
    }

    static Long ipv4OrNull(String text)
    {
        long value = Cidr.parseIpv4(text);
        return value < 0 ? null : value;
    }
}
