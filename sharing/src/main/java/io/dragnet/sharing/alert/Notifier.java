package io.dragnet.sharing.alert;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.sharing.HitSource;
import io.dragnet.sharing.SharingPolicy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * After a day is published, sends each channel its alert of the new hits of the rules it hears of (the rules whose
 * {@code notify:} names it and those its {@code rules:} globs match). Delivery is retried with backoff; a channel
 * that still fails is recorded as failed and the others go on — alerts never fail the run that published the day.
 */
public final class Notifier
{
    /** Waits between attempts; tests pass one that records instead of sleeping. */
    public interface Backoff
    {
        void pause(Duration duration)
                throws InterruptedException;
    }

    public static final List<Duration> RETRY_PAUSES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));

    private final SharingPolicy policy;
    private final RuleSubscriptions subscriptions;
    private final SharingKeys keys;
    private final HitSource hits;
    private final Map<String, AlertSender> sendersByKind;
    private final Backoff backoff;
    private final DeliveryLog log;
    private final Clock clock;

    /** @param sendersByKind "webhook" and "sns" → the sender for channels of that kind (a kind not given cannot be delivered) */
    public Notifier(SharingPolicy policy, RuleSubscriptions subscriptions, SharingKeys keys, HitSource hits, Map<String, AlertSender> sendersByKind, Backoff backoff, DeliveryLog log, Clock clock)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.hits = requireNonNull(hits, "hits is null");
        this.sendersByKind = Map.copyOf(sendersByKind);
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<DeliveryLog.Delivery> notify(LocalDate day)
    {
        List<DeliveryLog.Delivery> deliveries = new ArrayList<>();
        for (SharingPolicy.Channel channel : policy.channels().values().stream().sorted(java.util.Comparator.comparing(SharingPolicy.Channel::name)).toList()) {
            Set<String> topics = policy.recipient(channel.recipient()).orElseThrow().topics();
            Optional<Alert> alert = AlertBuilder.build(policy, channel, subscriptions, keys, day, hits.read(topics, day, day), hits.read(topics, day.minusDays(1), day.minusDays(1)));
            DeliveryLog.Delivery delivery = alert.map(found -> deliver(channel, found))
                    .orElseGet(() -> new DeliveryLog.Delivery(clock.instant().toString(), channel.name(), day.toString(), "nothing_new", 0, 0, null));
            log.append(delivery);
            deliveries.add(delivery);
        }
        return deliveries;
    }

    private DeliveryLog.Delivery deliver(SharingPolicy.Channel channel, Alert alert)
    {
        String kind = channel.webhook() != null ? "webhook" : "sns";
        AlertSender sender = sendersByKind.get(kind);
        String error = sender == null ? "no " + kind + " sender configured here" : null;
        int attempts = 0;
        while (sender != null) {
            attempts++;
            try {
                sender.send(channel, alert);
                return new DeliveryLog.Delivery(clock.instant().toString(), channel.name(), alert.day().toString(), "delivered", attempts, alert.newEntities(), null);
            }
            catch (IOException e) {
                error = e.getMessage();
            }
            if (attempts > RETRY_PAUSES.size()) {
                break;
            }
            try {
                backoff.pause(RETRY_PAUSES.get(attempts - 1));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new DeliveryLog.Delivery(clock.instant().toString(), channel.name(), alert.day().toString(), "failed", attempts, alert.newEntities(), error);
    }
}
