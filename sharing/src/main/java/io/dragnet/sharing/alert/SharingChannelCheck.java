package io.dragnet.sharing.alert;

import io.dragnet.rules.NotifyChannelCheck;
import io.dragnet.rules.Problem;
import io.dragnet.rules.RuleSet;
import io.dragnet.sharing.SharingPolicyParser;

import java.nio.file.Path;
import java.util.List;

/** {@code dragnet rules validate}'s check of {@code notify:} channels: {@link RuleSubscriptions#problems} against a sharing policy file. */
public final class SharingChannelCheck
        implements NotifyChannelCheck
{
    @Override
    public List<Problem> problems(RuleSet rules, String location)
    {
        return RuleSubscriptions.problems(rules, SharingPolicyParser.parse(Path.of(location)));
    }
}
