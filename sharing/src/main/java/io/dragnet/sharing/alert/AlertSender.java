package io.dragnet.sharing.alert;

import io.dragnet.sharing.SharingPolicy;

import java.io.IOException;

/** Delivers an alert to a channel; a failure is an exception, which the {@link Notifier} retries and records. */
public interface AlertSender
{
    void send(SharingPolicy.Channel channel, Alert alert)
            throws IOException;
}
