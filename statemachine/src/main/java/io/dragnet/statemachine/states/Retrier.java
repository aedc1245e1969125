package io.dragnet.statemachine.states;

import java.util.List;

/** One Retry entry with the service's defaults filled in (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0); {@code maxDelaySeconds} null when absent. */
public record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate, Double maxDelaySeconds)
{
    public Retrier
    {
        errorEquals = List.copyOf(errorEquals);
    }
}
