package io.dragnet.rules.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys, sources, fields and modifiers: the closest candidate by edit distance. */
public final class Suggestions
{
    private Suggestions() {}

    public static Optional<String> closest(String found, Collection<String> candidates)
    {
        String needle = found.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, needle.length() / 3);
        if (best != null && bestDistance <= allowed && bestDistance > 0) {
            return Optional.of(best);
        }
        // a longer or shorter spelling of the same word ("jsonlines" for "jsonl")
        return candidates.stream()
                .filter(candidate -> candidate.length() >= 3 && needle.length() >= 3)
                .filter(candidate -> needle.startsWith(candidate.toLowerCase(Locale.ROOT)) || candidate.toLowerCase(Locale.ROOT).startsWith(needle))
                .findFirst();
    }

    /** The message tail: {@code ; did you mean 'x'?} or nothing. */
    public static String didYouMean(String found, Collection<String> candidates)
    {
        return closest(found, candidates).map(candidate -> "; did you mean '" + candidate + "'?").orElse("");
    }

    static int distance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
