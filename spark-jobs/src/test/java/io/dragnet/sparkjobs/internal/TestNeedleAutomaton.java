package io.dragnet.sparkjobs.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestNeedleAutomaton
{
    private static List<String> occurrences(NeedleAutomaton automaton, List<String> needles, String text)
    {
        List<String> found = new ArrayList<>();
        automaton.scan(text, (needle, start, end) -> found.add(needles.get(needle) + "@" + start + "-" + end));
        return found;
    }

    /** Every (needle, start, end) by String.indexOf at every position. */
    private static List<String> expected(List<String> needles, String text)
    {
        List<String> found = new ArrayList<>();
        for (String needle : needles) {
            for (int start = text.indexOf(needle); start >= 0; start = text.indexOf(needle, start + 1)) {
                found.add(needle + "@" + start + "-" + (start + needle.length()));
            }
        }
        return found;
    }

    @Test
    void findsOverlappingNestedAndRepeatedNeedles()
    {
        List<String> needles = List.of("aba", "ba", "b", "abab", "é", "xé");
        NeedleAutomaton automaton = new NeedleAutomaton(needles);
        assertThat(occurrences(automaton, needles, "ababa xé")).containsExactlyInAnyOrderElementsOf(expected(needles, "ababa xé"))
                .contains("aba@0-3", "aba@2-5", "abab@0-4", "b@1-2", "ba@3-5", "é@7-8", "xé@6-8");
        assertThat(occurrences(automaton, needles, "")).isEmpty();
        assertThat(occurrences(automaton, needles, "zzz")).isEmpty();
    }

    @Test
    void findsWhatIndexOfFindsOnRandomNeedlesAndTextsInBothForms()
    {
        Random random = new Random(35);
        String alphabet = "abAB/ .é\u212a";
        for (int round = 0; round < 300; round++) {
            List<String> needles = randomNeedles(random, alphabet, UnaryOperator.identity());
            // a tiny table budget forces the library fallback: both forms must agree with indexOf
            for (NeedleAutomaton automaton : List.of(new NeedleAutomaton(needles), new NeedleAutomaton(needles, 1))) {
                for (int t = 0; t < 20; t++) {
                    String text = text(random, alphabet, random.nextInt(25));
                    assertThat(occurrences(automaton, needles, text)).as("needles %s in '%s'", needles, text)
                            .containsExactlyInAnyOrderElementsOf(expected(needles, text));
                }
            }
        }
    }

    @Test
    void aCaseFoldingAutomatonFindsWhatIndexOfFindsInTheAsciiLowerCasedText()
    {
        Random random = new Random(36);
        String alphabet = "abAB/ .é\u212aK";
        for (int round = 0; round < 300; round++) {
            List<String> needles = randomNeedles(random, alphabet, RuleMatcher::asciiLower);
            for (NeedleAutomaton automaton : List.of(NeedleAutomaton.foldingAsciiCase(needles, NeedleAutomaton.MAX_TABLE_ENTRIES), NeedleAutomaton.foldingAsciiCase(needles, 1))) {
                for (int t = 0; t < 20; t++) {
                    String text = text(random, alphabet, random.nextInt(25));
                    assertThat(occurrences(automaton, needles, text)).as("needles %s in '%s'", needles, text)
                            .containsExactlyInAnyOrderElementsOf(expected(needles, RuleMatcher.asciiLower(text)));
                }
            }
        }
        assertThatThrownBy(() -> NeedleAutomaton.foldingAsciiCase(List.of("aB"), NeedleAutomaton.MAX_TABLE_ENTRIES)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void needlesAreDistinctAndNotEmpty()
    {
        assertThatThrownBy(() -> new NeedleAutomaton(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NeedleAutomaton(List.of("a", "a"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Up to 30 distinct needles of 1 to 5 characters of the alphabet, each in the given form. */
    private static List<String> randomNeedles(Random random, String alphabet, UnaryOperator<String> form)
    {
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = random.nextInt(30); i >= 0; i--) {
            distinct.add(form.apply(text(random, alphabet, 1 + random.nextInt(5))));
        }
        return List.copyOf(distinct);
    }

    private static String text(Random random, String alphabet, int length)
    {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
