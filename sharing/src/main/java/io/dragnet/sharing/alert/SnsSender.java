package io.dragnet.sharing.alert;

import io.dragnet.sharing.SharingPolicy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** Publishes an alert to an SNS topic (subject: the alert's title, at most 100 characters as SNS requires). */
public final class SnsSender
        implements AlertSender
{
    private final SnsClient client;

    public SnsSender(SnsClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public void send(SharingPolicy.Channel channel, Alert alert)
            throws IOException
    {
        try {
            client.publish(request -> request.topicArn(channel.snsTopicArn())
                    .subject(alert.title().length() > 100 ? alert.title().substring(0, 99) + "…" : alert.title())
                    .message(alert.text()));
        }
        catch (SdkException e) {
            throw new IOException("SNS publish failed: " + e.getMessage(), e);
        }
    }
}
