package io.dragnet.cost;

import java.math.BigDecimal;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One entry of the EC2 spot price history: the hourly price of a type in one zone from {@code timestamp} on. */
public record SpotPrice(String instanceType, String availabilityZone, BigDecimal hourlyPrice, Instant timestamp)
{
    public SpotPrice
    {
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(availabilityZone, "availabilityZone is null");
        requireNonNull(hourlyPrice, "hourlyPrice is null");
        requireNonNull(timestamp, "timestamp is null");
    }
}
