package io.dragnet.sharing.alert;

import io.dragnet.sharing.SharingPolicy;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The senders a policy's channels need, by kind ("webhook", "sns"); an SNS client is created only when a channel
 * names an SNS topic. Close it after notifying.
 */
public final class AlertSenders
        implements AutoCloseable
{
    private final Map<String, AlertSender> byKind;
    private final SnsClient sns;

    private AlertSenders(Map<String, AlertSender> byKind, SnsClient sns)
    {
        this.byKind = Map.copyOf(byKind);
        this.sns = sns;
    }

    public static AlertSenders forPolicy(SharingPolicy policy)
    {
        Map<String, AlertSender> byKind = new HashMap<>();
        byKind.put("webhook", new WebhookSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Duration.ofSeconds(20)));
        SnsClient sns = policy.channels().values().stream().anyMatch(channel -> channel.snsTopicArn() != null) ? SnsClient.create() : null;
        if (sns != null) {
            byKind.put("sns", new SnsSender(sns));
        }
        return new AlertSenders(byKind, sns);
    }

    public Map<String, AlertSender> byKind()
    {
        return byKind;
    }

    @Override
    public void close()
    {
        if (sns != null) {
            sns.close();
        }
    }
}
