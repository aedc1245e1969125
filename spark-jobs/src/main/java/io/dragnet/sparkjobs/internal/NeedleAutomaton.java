package io.dragnet.sparkjobs.internal;

import org.ahocorasick.trie.Trie;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of many needles in a text in one pass: an Aho-Corasick automaton made deterministic, one
 * table lookup per character. Aho-Corasick libraries (org.ahocorasick, used as the fallback here) follow failure links
 * through a map per state, which cost {@link RuleMatcher} most of its time on texts where many needles share
 * prefixes; a deterministic table never goes back. Its size is states × distinct needle characters, so needle sets
 * whose table would outgrow {@link #MAX_TABLE_ENTRIES} use the library instead.
 *
 * <p>{@link #foldingAsciiCase} builds one that reads the text's ASCII capitals as small letters, as if it scanned the
 * text's ASCII-lower-cased copy without making one.
 */
final class NeedleAutomaton
{
    /** The largest table built: 16 MB of ints. */
    static final int MAX_TABLE_ENTRIES = 4_000_000;

    /** Receives one occurrence: the needle's index in the list the automaton was built from, its start and its end (exclusive). */
    interface Occurrence
    {
        void found(int needle, int start, int end);
    }

    private final boolean foldsAsciiCase;
    private final int[] asciiClass = new int[128];
    private final Map<Character, Integer> otherClass = new HashMap<>();
    private final int classes;
    /**
     * The transitions: entry {@code row + class} of a state's row (its index × classes) is the next state's row, or its
     * complement when that state ends needles, so the scan needs no multiplication and one test per character.
     */
    private final int[] moves;
    private final int[][] outputs;
    private final int[] lengths;
    private final Trie fallback;
    private final Map<String, Integer> fallbackIndex;

    /** @param needles distinct, none empty */
    NeedleAutomaton(List<String> needles)
    {
        this(needles, MAX_TABLE_ENTRIES);
    }

    /** @param maxTableEntries the largest table to build; larger needle sets use the library */
    NeedleAutomaton(List<String> needles, int maxTableEntries)
    {
        this(needles, maxTableEntries, false);
    }

    /**
     * An automaton that finds the needles in a text's ASCII-lower-cased form ({@link RuleMatcher#asciiLower}) without
     * making that copy; the occurrences' positions are the same in both.
     *
     * @param needles distinct, none empty, none holding an ASCII capital
     */
    static NeedleAutomaton foldingAsciiCase(List<String> needles, int maxTableEntries)
    {
        return new NeedleAutomaton(needles, maxTableEntries, true);
    }

    private NeedleAutomaton(List<String> needles, int maxTableEntries, boolean foldsAsciiCase)
    {
        if (needles.stream().anyMatch(String::isEmpty) || needles.stream().distinct().count() < needles.size()) {
            throw new IllegalArgumentException("needles must be distinct and not empty");
        }
        if (foldsAsciiCase && needles.stream().anyMatch(needle -> needle.chars().anyMatch(c -> c >= 'A' && c <= 'Z'))) {
            throw new IllegalArgumentException("needles of a case-folding automaton must not hold ASCII capitals");
        }
        this.lengths = needles.stream().mapToInt(String::length).toArray();
        this.foldsAsciiCase = foldsAsciiCase;
        int next = 1;
        for (String needle : needles) {
            for (int i = 0; i < needle.length(); i++) {
                char c = needle.charAt(i);
                if (c < 128 ? asciiClass[c] == 0 : !otherClass.containsKey(c)) {
                    if (c < 128) {
                        asciiClass[c] = next++;
                    }
                    else {
                        otherClass.put(c, next++);
                    }
                }
            }
        }
        classes = next;
        if (foldsAsciiCase) {
            for (char c = 'A'; c <= 'Z'; c++) {
                asciiClass[c] = asciiClass[c + ('a' - 'A')];
            }
        }
        int states = 1 + needles.stream().mapToInt(String::length).sum();
        if ((long) states * classes > maxTableEntries) {
            moves = null;
            outputs = null;
            fallback = Trie.builder().addKeywords(needles).build();
            fallbackIndex = new HashMap<>();
            for (int i = 0; i < needles.size(); i++) {
                fallbackIndex.put(needles.get(i), i);
            }
            return;
        }
        fallback = null;
        fallbackIndex = null;
        // the trie: table entries 0 until set, as the root (state 0) is never a child
        int[] trie = new int[states * classes];
        List<List<Integer>> ends = new ArrayList<>();
        ends.add(new ArrayList<>());
        int count = 1;
        for (int n = 0; n < needles.size(); n++) {
            String needle = needles.get(n);
            int state = 0;
            for (int i = 0; i < needle.length(); i++) {
                int slot = state * classes + classOf(needle.charAt(i));
                if (trie[slot] == 0) {
                    trie[slot] = count++;
                    ends.add(new ArrayList<>());
                }
                state = trie[slot];
            }
            ends.get(state).add(n);
        }
        // breadth first: a state's missing transitions and its outputs come from its failure state, already complete
        int[] failure = new int[count];
        int[] table = Arrays.copyOf(trie, count * classes);
        Deque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            if (table[c] != 0) {
                queue.add(table[c]);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            ends.get(state).addAll(ends.get(failure[state]));
            for (int c = 0; c < classes; c++) {
                int slot = state * classes + c;
                int child = trie[slot];
                if (child != 0) {
                    failure[child] = table[failure[state] * classes + c];
                    queue.add(child);
                }
                else {
                    table[slot] = table[failure[state] * classes + c];
                }
            }
        }
        outputs = new int[count][];
        for (int state = 0; state < count; state++) {
            outputs[state] = ends.get(state).isEmpty() ? null : ends.get(state).stream().mapToInt(Integer::intValue).toArray();
        }
        moves = new int[table.length];
        for (int slot = 0; slot < table.length; slot++) {
            int row = table[slot] * classes;
            moves[slot] = outputs[table[slot]] == null ? row : ~row;
        }
    }

    /** Reports every occurrence of every needle in the text, in the order their ends are reached. */
    void scan(String text, Occurrence occurrence)
    {
        if (moves == null) {
            fallback.parseText(foldsAsciiCase ? RuleMatcher.asciiLower(text) : text, emit -> {
                occurrence.found(fallbackIndex.get(emit.getKeyword()), emit.getStart(), emit.getEnd() + 1);
                return true;
            });
            return;
        }
        int[] moves = this.moves;
        int[] asciiClass = this.asciiClass;
        int row = 0;
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            int move = moves[row + (c < 128 ? asciiClass[c] : classOf(c))];
            if (move >= 0) {
                row = move;
            }
            else {
                row = ~move;
                for (int needle : outputs[row / classes]) {
                    occurrence.found(needle, i + 1 - lengths[needle], i + 1);
                }
            }
        }
    }

    private int classOf(char c)
    {
        if (c < 128) {
            return asciiClass[c];
        }
        Integer other = otherClass.get(c);
        return other == null ? 0 : other;
    }
}
