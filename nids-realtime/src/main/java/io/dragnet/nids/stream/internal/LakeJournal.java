package io.dragnet.nids.stream.internal;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one sessions partition's scorer committed to the lake last: the offsets of that commit, the verdicts (malicious among
 * them) and dead letters it has committed in all, and the staged files that become lake files. Written before any file moves, so a
 * scorer that stopped part way finishes the moves when it starts again; every record at or below {@code lastOffset}
 * is in the lake.
 */
public record LakeJournal(long firstOffset, long lastOffset, long verdicts, long malicious, long deadLetters, List<Move> moves)
{
    /** Nothing committed yet. */
    public static final LakeJournal NONE = new LakeJournal(-1, -1, 0, 0, 0, List.of());

    public LakeJournal
    {
        moves = List.copyOf(requireNonNull(moves, "moves is null"));
    }

    /** A staged file and the lake file it becomes, as absolute paths. */
    public record Move(String staged, String target)
    {
        public Move
        {
            requireNonNull(staged, "staged is null");
            requireNonNull(target, "target is null");
        }
    }

    public long records()
    {
        return verdicts + deadLetters;
    }
}
