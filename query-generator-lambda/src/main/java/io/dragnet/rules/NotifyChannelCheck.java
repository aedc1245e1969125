package io.dragnet.rules;

import java.util.List;

/**
 * Checks the channels rules name under {@code notify:} against a channels configuration the rule compiler does not
 * read itself (the sharing policy belongs to the sharing module, which depends on this one). {@code dragnet rules
 * validate} uses one when the command line provides it.
 */
public interface NotifyChannelCheck
{
    /**
     * Every {@code notify:} entry of {@code rules} the configuration at {@code location} cannot honour, at its
     * {@code file:line:column}.
     *
     * @throws io.dragnet.contracts.DragnetException (user) when the configuration itself is unreadable or invalid
     */
    List<Problem> problems(RuleSet rules, String location);
}
