package io.dragnet.rules.model;

public enum Severity
{
    INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL
}
