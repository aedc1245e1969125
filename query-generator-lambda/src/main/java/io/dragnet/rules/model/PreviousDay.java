package io.dragnet.rules.model;

/**
 * What a rule does with a window that starts before the day a run reads: read what it needs of the previous day, or
 * leave such windows to be reported without it (aggregate rules leave them out; correlation rules report windows that
 * reach past midnight from their own day's hits, marked truncated).
 */
public enum PreviousDay
{
    READ, IGNORE
}
