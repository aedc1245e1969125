package io.dragnet.sharing.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dragnet.sharing.SharingPolicy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Posts {@code {"text": …}} to an incoming webhook, the message shape Slack and Microsoft Teams both accept.
 * Anything but a 2xx answer within the timeout is a failure.
 */
public final class WebhookSender
        implements AlertSender
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;

    public WebhookSender(HttpClient client, Duration timeout)
    {
        this.client = requireNonNull(client, "client is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public void send(SharingPolicy.Channel channel, Alert alert)
            throws IOException
    {
        HttpRequest request = HttpRequest.newBuilder(channel.webhook())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", alert.text()))))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("webhook answered HTTP " + response.statusCode());
        }
    }
}
