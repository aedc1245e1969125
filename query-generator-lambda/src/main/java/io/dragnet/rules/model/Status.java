package io.dragnet.rules.model;

/** Lifecycle of a rule: active and test rules are compiled (test rules are tagged {@code status:test}); disabled rules are not. */
public enum Status
{
    ACTIVE, TEST, DISABLED
}
