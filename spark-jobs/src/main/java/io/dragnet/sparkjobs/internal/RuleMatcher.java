package io.dragnet.sparkjobs.internal;

import com.google.re2j.Pattern;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RuleRegex;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Matches every rule it holds against one record in a single call and returns the ids of the rules that matched,
 * in rule order. It gives the results {@link PredicateColumns} gives for the same predicates, but a plan of hundreds of
 * rules stays one function call instead of a generated method too large for the JIT (or for Janino, past 64 KB), and
 * the work per record is shared between rules: each text field is lower-cased once, all its equals values are one
 * hash lookup, all its contains / startswith / endswith values one Aho-Corasick pass, and a regular expression whose
 * matches all start with a literal text runs only where the record holds that text, anchored there.
 *
 * <p>It holds the rules whose predicates {@link #supports} (no time window, IoC, keyword, CIDR or ordering leaf);
 * the others stay Spark columns. The input row holds the fields of {@link #fields()} in that order.
 */
public final class RuleMatcher
        implements UDF1<Row, String[]>
{
    /** A rule the matcher evaluates. */
    public record Rule(String id, Predicate predicate)
    {
        public Rule
        {
            requireNonNull(id, "id is null");
            requireNonNull(predicate, "predicate is null");
        }
    }

    private final List<String> ids;
    /** The predicates in their job spec JSON form, which travels to the executors. */
    private final List<String> predicates;
    private final List<String> fields;
    private final List<FieldType> types;
    private transient Compiled compiled;

    public RuleMatcher(List<Rule> rules, Map<String, FieldType> schema)
    {
        this.ids = rules.stream().map(Rule::id).toList();
        this.predicates = rules.stream().map(rule -> Json.writeCompact(rule.predicate())).toList();
        Map<String, FieldType> used = new LinkedHashMap<>();
        for (Rule rule : rules) {
            collectFields(rule.predicate(), schema, used);
        }
        this.fields = List.copyOf(used.keySet());
        this.types = List.copyOf(used.values());
    }

    /** True when every leaf of the predicate is one the matcher evaluates exactly as {@link PredicateColumns} does. */
    public static boolean supports(Predicate predicate, Map<String, FieldType> schema)
    {
        if (predicate instanceof Predicate.And and) {
            return and.children().stream().allMatch(child -> supports(child, schema));
        }
        if (predicate instanceof Predicate.Or or) {
            return or.children().stream().allMatch(child -> supports(child, schema));
        }
        if (predicate instanceof Predicate.Not not) {
            return supports(not.child(), schema);
        }
        if (predicate instanceof Predicate.Always) {
            return true;
        }
        if (predicate instanceof Predicate.FieldMatch match) {
            FieldType type = schema.get(match.field());
            String operator = match.operator().toLowerCase(Locale.ROOT);
            if (type == null) {
                return false;
            }
            if (operator.equals("exists")) {
                return true;
            }
            if (match.values().isEmpty()) {
                return false;
            }
            if (type == FieldType.STRING || type == FieldType.IP) {
                return List.of("equals", "contains", "startswith", "endswith", "regex").contains(operator);
            }
            return type == FieldType.LONG && operator.equals("equals");
        }
        return false;
    }

    /** The record fields the rules read: the matcher's input row, in this order. */
    public List<String> fields()
    {
        return fields;
    }

    @Override
    public String[] call(Row row)
    {
        if (compiled == null) {
            List<Rule> rules = new ArrayList<>();
            for (int r = 0; r < ids.size(); r++) {
                try {
                    rules.add(new Rule(ids.get(r), Json.mapper().readValue(predicates.get(r), Predicate.class)));
                }
                catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("predicate of rule " + ids.get(r) + " does not read back", e);
                }
            }
            compiled = new Compiled(rules, fields, types);
        }
        return compiled.match(row);
    }

    private static void collectFields(Predicate predicate, Map<String, FieldType> schema, Map<String, FieldType> into)
    {
        if (predicate instanceof Predicate.And and) {
            and.children().forEach(child -> collectFields(child, schema, into));
        }
        else if (predicate instanceof Predicate.Or or) {
            or.children().forEach(child -> collectFields(child, schema, into));
        }
        else if (predicate instanceof Predicate.Not not) {
            collectFields(not.child(), schema, into);
        }
        else if (predicate instanceof Predicate.FieldMatch match) {
            into.put(match.field(), requireNonNull(schema.get(match.field()), "field type"));
        }
    }

    /**
     * Lower-cases as Spark's {@code lower} does: ASCII text byte by byte, other text with the JVM's default locale;
     * needles are lower-cased with {@link Locale#ROOT}, as {@link PredicateColumns} does.
     */
    static String sparkLower(String text)
    {
        return isAscii(text) ? asciiLower(text) : text.toLowerCase(Locale.getDefault());
    }

    static boolean isAscii(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c)
    {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static String asciiLower(String text)
    {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return chars == null ? text : new String(chars);
    }

    /**
     * What the rules compile to on an executor: the per-field lookups, the leaves they set and each rule's tree. A rule
     * is evaluated for a record only when the record set one of its trigger leaves (a rule whose tree can hold with no
     * leaf set has none and is always evaluated), so a record costs the rules its values touch, not all of them.
     */
    private static final class Compiled
    {
        /** How likely a leaf is to be set, for choosing the leaves that trigger a rule: needles are rare, exists is not. */
        private static final int NEEDLE = 0;
        private static final int EQUALS = 1;
        private static final int EXISTS = 2;

        private final String[] ids;
        private final Node[] trees;
        private final FieldLeaves[] byField;
        private final int leafCount;
        /** leaf → the rules it triggers */
        private final int[][] triggered;
        /** the rules evaluated for every record */
        private final int[] alwaysEvaluated;
        private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
        /** the leaf of each distinct test, shared by every rule that makes it (many rules test method = GET) */
        private final Map<LeafKey, Integer> leafIds = new HashMap<>();

        Compiled(List<Rule> rules, List<String> fields, List<FieldType> types)
        {
            Map<String, Integer> position = new HashMap<>();
            byField = new FieldLeaves[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                position.put(fields.get(i), i);
                byField[i] = new FieldLeaves(types.get(i));
            }
            ids = new String[rules.size()];
            trees = new Node[rules.size()];
            List<Integer> kinds = new ArrayList<>();
            for (int r = 0; r < rules.size(); r++) {
                ids[r] = rules.get(r).id();
                trees[r] = node(rules.get(r).predicate(), position, kinds);
            }
            leafCount = kinds.size();
            for (FieldLeaves field : byField) {
                field.build();
            }
            List<List<Integer>> byLeaf = new ArrayList<>();
            for (int leaf = 0; leaf < leafCount; leaf++) {
                byLeaf.add(new ArrayList<>());
            }
            List<Integer> always = new ArrayList<>();
            for (int r = 0; r < trees.length; r++) {
                int[] triggers = triggers(trees[r], kinds);
                if (triggers == null) {
                    always.add(r);
                }
                else {
                    for (int leaf : triggers) {
                        byLeaf.get(leaf).add(r);
                    }
                }
            }
            triggered = byLeaf.stream().map(Compiled::ints).toArray(int[][]::new);
            alwaysEvaluated = ints(always);
        }

        private Node node(Predicate predicate, Map<String, Integer> position, List<Integer> kinds)
        {
            if (predicate instanceof Predicate.And and) {
                return new Node.All(and.children().stream().map(child -> node(child, position, kinds)).toArray(Node[]::new));
            }
            if (predicate instanceof Predicate.Or or) {
                return new Node.Any(or.children().stream().map(child -> node(child, position, kinds)).toArray(Node[]::new));
            }
            if (predicate instanceof Predicate.Not not) {
                return new Node.Negated(node(not.child(), position, kinds));
            }
            if (predicate instanceof Predicate.Always) {
                return new Node.All(new Node[0]);
            }
            Predicate.FieldMatch match = (Predicate.FieldMatch) predicate;
            FieldLeaves field = byField[position.get(match.field())];
            String operator = match.operator().toLowerCase(Locale.ROOT);
            if (operator.equals("exists")) {
                boolean wanted = match.values().isEmpty() || !match.values().get(0).equalsIgnoreCase("false");
                LeafKey key = new LeafKey(match.field(), operator, String.valueOf(wanted), true);
                Integer shared = leafIds.get(key);
                if (shared != null) {
                    return new Node.Leaf(shared);
                }
                int leaf = kinds.size();
                leafIds.put(key, leaf);
                kinds.add(EXISTS);
                (wanted ? field.present : field.absent).add(leaf);
                return new Node.Leaf(leaf);
            }
            Node[] values = new Node[match.values().size()];
            for (int v = 0; v < values.length; v++) {
                String value = match.values().get(v);
                LeafKey key = new LeafKey(match.field(), operator, match.cased() ? value : value.toLowerCase(Locale.ROOT), match.cased());
                Integer shared = leafIds.get(key);
                if (shared != null) {
                    values[v] = new Node.Leaf(shared);
                    continue;
                }
                int leaf = kinds.size();
                leafIds.put(key, leaf);
                // an empty needle (contains '') holds for every non-empty value
                kinds.add(operator.equals("equals") ? EQUALS : value.isEmpty() && !operator.equals("regex") ? EXISTS : NEEDLE);
                field.add(operator, value, match.cased(), leaf);
                values[v] = new Node.Leaf(leaf);
            }
            return match.all() ? new Node.All(values) : new Node.Any(values);
        }

        /**
         * Leaves one of which a record must set for the node to hold, or null when it may hold with none set. Of an
         * All's children one suffices: the one whose leaves are least likely set.
         */
        private static int[] triggers(Node node, List<Integer> kinds)
        {
            if (node instanceof Node.Leaf leaf) {
                return new int[] {leaf.index()};
            }
            if (node instanceof Node.Negated negated) {
                // false with no leaf set only when the child then holds; it becomes false only when one of its leaves is set
                return negated.child().holds(new boolean[kinds.size()]) ? leaves(negated.child()).stream().mapToInt(Integer::intValue).toArray() : null;
            }
            if (node instanceof Node.Any any) {
                List<Integer> union = new ArrayList<>();
                for (Node child : any.children()) {
                    int[] triggers = triggers(child, kinds);
                    if (triggers == null) {
                        return null;
                    }
                    Arrays.stream(triggers).forEach(union::add);
                }
                return union.isEmpty() ? null : ints(union);
            }
            int[] best = null;
            for (Node child : ((Node.All) node).children()) {
                int[] triggers = triggers(child, kinds);
                if (triggers != null && (best == null || likelihood(triggers, kinds) < likelihood(best, kinds))) {
                    best = triggers;
                }
            }
            return best;
        }

        /** Orders trigger sets: fewer exists leaves, then fewer equals leaves, then fewer leaves. */
        private static long likelihood(int[] leaves, List<Integer> kinds)
        {
            long exists = Arrays.stream(leaves).filter(leaf -> kinds.get(leaf) == EXISTS).count();
            long equals = Arrays.stream(leaves).filter(leaf -> kinds.get(leaf) == EQUALS).count();
            return exists * 1_000_000L + equals * 1_000L + leaves.length;
        }

        private static List<Integer> leaves(Node node)
        {
            List<Integer> leaves = new ArrayList<>();
            if (node instanceof Node.Leaf leaf) {
                leaves.add(leaf.index());
            }
            else if (node instanceof Node.Negated negated) {
                leaves.addAll(leaves(negated.child()));
            }
            else {
                for (Node child : node instanceof Node.Any any ? any.children() : ((Node.All) node).children()) {
                    leaves.addAll(leaves(child));
                }
            }
            return leaves;
        }

        private static int[] ints(List<Integer> values)
        {
            return values.stream().mapToInt(Integer::intValue).toArray();
        }

        String[] match(Row row)
        {
            Scratch scratch = this.scratch.get();
            Hits hits = scratch.hits;
            hits.clear();
            for (int i = 0; i < byField.length; i++) {
                byField[i].set(row.isNullAt(i) ? null : row.get(i), hits);
            }
            long record = ++scratch.record;
            long[] evaluatedFor = scratch.evaluatedFor;
            int[] matched = scratch.matched;
            int count = 0;
            for (int r : alwaysEvaluated) {
                evaluatedFor[r] = record;
                if (trees[r].holds(hits.set)) {
                    matched[count++] = r;
                }
            }
            for (int i = 0; i < hits.count; i++) {
                for (int r : triggered[hits.order[i]]) {
                    if (evaluatedFor[r] != record) {
                        evaluatedFor[r] = record;
                        if (trees[r].holds(hits.set)) {
                            matched[count++] = r;
                        }
                    }
                }
            }
            Arrays.sort(matched, 0, count);
            String[] result = new String[count];
            for (int i = 0; i < count; i++) {
                result[i] = ids[matched[i]];
            }
            return result;
        }

        /** What one thread reuses from record to record: the leaves set, and per rule the record it was last evaluated for. */
        private final class Scratch
        {
            private final Hits hits = new Hits(leafCount);
            private final long[] evaluatedFor = new long[trees.length];
            private final int[] matched = new int[trees.length];
            private long record;
        }
    }

    /** What decides a leaf's value: the field, the operator and the value in the form it is compared in. */
    private record LeafKey(String field, String operator, String value, boolean cased) {}

    /** The leaves a record set, and the order it set them in. */
    private static final class Hits
    {
        private final boolean[] set;
        private final int[] order;
        private int count;
        /** the pattern leaves already tested on the record's whole text */
        private final boolean[] tested;
        private final int[] testedOrder;
        private int testedCount;

        Hits(int leaves)
        {
            set = new boolean[leaves];
            order = new int[leaves];
            tested = new boolean[leaves];
            testedOrder = new int[leaves];
        }

        void clear()
        {
            for (int i = 0; i < count; i++) {
                set[order[i]] = false;
            }
            count = 0;
            for (int i = 0; i < testedCount; i++) {
                tested[testedOrder[i]] = false;
            }
            testedCount = 0;
        }

        /** True the first time a record asks for the pattern leaf, so that a literal occurring often runs its pattern once. */
        boolean firstTest(int leaf)
        {
            if (tested[leaf]) {
                return false;
            }
            tested[leaf] = true;
            testedOrder[testedCount++] = leaf;
            return true;
        }

        void set(int leaf)
        {
            if (!set[leaf]) {
                set[leaf] = true;
                order[count++] = leaf;
            }
        }

        void setAll(int[] leaves)
        {
            for (int leaf : leaves) {
                set(leaf);
            }
        }
    }

    /** A boolean tree over the leaves a record set. */
    private sealed interface Node
    {
        boolean holds(boolean[] hits);

        record Leaf(int index) implements Node
        {
            @Override
            public boolean holds(boolean[] hits)
            {
                return hits[index];
            }
        }

        record All(Node[] children) implements Node
        {
            @Override
            public boolean holds(boolean[] hits)
            {
                for (Node child : children) {
                    if (!child.holds(hits)) {
                        return false;
                    }
                }
                return true;
            }
        }

        record Any(Node[] children) implements Node
        {
            @Override
            public boolean holds(boolean[] hits)
            {
                for (Node child : children) {
                    if (child.holds(hits)) {
                        return true;
                    }
                }
                return false;
            }
        }

        record Negated(Node child) implements Node
        {
            @Override
            public boolean holds(boolean[] hits)
            {
                return !child.holds(hits);
            }
        }
    }

    /**
     * The leaves of one field: set from its value, as the raw text (cased) and as lower-cased text (case-insensitive).
     * ASCII text, the common case, is scanned once for the needles of both forms and never copied lower-cased.
     */
    private static final class FieldLeaves
    {
        private static final int CASED = 0;
        private static final int FOLDED = 1;

        private final FieldType type;
        private final List<Integer> present = new ArrayList<>();
        private final List<Integer> absent = new ArrayList<>();
        private final TextLeaves cased = new TextLeaves(true);
        private final TextLeaves folded = new TextLeaves(false);
        private final Map<Long, List<Integer>> longEquals = new HashMap<>();
        private int[] presentLeaves;
        private int[] absentLeaves;
        private Map<Long, int[]> longEqualLeaves;
        /** the ASCII needles of both forms, lower-cased, in one automaton that reads ASCII capitals as small letters */
        private NeedleAutomaton asciiAutomaton;
        /** per needle of the ASCII automaton: (form, the needle's index in that form's automaton) pairs */
        private int[][][] asciiUses;

        FieldLeaves(FieldType type)
        {
            this.type = type;
        }

        void add(String operator, String value, boolean isCased, int leaf)
        {
            if (type == FieldType.LONG) {
                longEquals.computeIfAbsent((Long) FieldType.LONG.parse(value), ignored -> new ArrayList<>()).add(leaf);
                return;
            }
            TextLeaves text = isCased ? cased : folded;
            if (operator.equals("regex")) {
                text.regex(value, leaf);
            }
            else {
                text.add(operator, isCased ? value : value.toLowerCase(Locale.ROOT), leaf);
            }
        }

        void build()
        {
            presentLeaves = Compiled.ints(present);
            absentLeaves = Compiled.ints(absent);
            longEqualLeaves = byInts(longEquals);
            cased.build();
            folded.build();
            // ASCII text lower-cases to ASCII text, so a needle holding another character never occurs in either form of it
            Map<String, List<int[]>> uses = new LinkedHashMap<>();
            for (int form : new int[] {CASED, FOLDED}) {
                List<String> needles = form == CASED ? cased.needleTexts : folded.needleTexts;
                for (int n = 0; n < needles.size(); n++) {
                    if (isAscii(needles.get(n))) {
                        uses.computeIfAbsent(asciiLower(needles.get(n)), ignored -> new ArrayList<>()).add(new int[] {form, n});
                    }
                }
            }
            if (!uses.isEmpty()) {
                List<String> texts = new ArrayList<>(uses.keySet());
                asciiAutomaton = NeedleAutomaton.foldingAsciiCase(texts, NeedleAutomaton.MAX_TABLE_ENTRIES);
                asciiUses = texts.stream().map(needle -> uses.get(needle).toArray(int[][]::new)).toArray(int[][][]::new);
            }
        }

        void set(Object value, Hits hits)
        {
            if (value == null) {
                hits.setAll(absentLeaves);
                return;
            }
            hits.setAll(presentLeaves);
            if (type == FieldType.LONG) {
                int[] equal = longEqualLeaves.get((Long) value);
                if (equal != null) {
                    hits.setAll(equal);
                }
                return;
            }
            String text = value.toString();
            if (isAscii(text)) {
                setAscii(text, hits);
                return;
            }
            if (!cased.isEmpty()) {
                cased.set(text, text, hits);
            }
            if (!folded.isEmpty()) {
                folded.set(text, sparkLower(text), hits);
            }
        }

        /**
         * What {@link TextLeaves#set} of both forms sets, in one scan: a needle found in the folded view is a cased
         * needle's occurrence only where the text holds it as it is written.
         */
        private void setAscii(String text, Hits hits)
        {
            cased.setValues(text, hits);
            folded.setValuesFoldingAscii(text, hits);
            if (asciiAutomaton != null) {
                int length = text.length();
                asciiAutomaton.scan(text, (needle, start, end) -> {
                    for (int[] use : asciiUses[needle]) {
                        if (use[0] == FOLDED) {
                            folded.occurred(use[1], start, end, length, text, true, hits);
                        }
                        else if (text.startsWith(cased.needleTexts.get(use[1]), start)) {
                            cased.occurred(use[1], start, end, length, text, true, hits);
                        }
                    }
                });
            }
            cased.runPatterns(text, true, hits);
            folded.runPatterns(text, true, hits);
        }
    }

    private static <K> Map<K, int[]> byInts(Map<K, List<Integer>> lists)
    {
        Map<K, int[]> result = new HashMap<>();
        lists.forEach((key, leaves) -> result.put(key, Compiled.ints(leaves)));
        return result;
    }

    /** Equals, contains, startswith, endswith and regex leaves over one form of a field's text. */
    private static final class TextLeaves
    {
        private static final int CONTAINS = 0;
        private static final int STARTS = 1;
        private static final int ENDS = 2;
        /** a needle that every match of a pattern starts with: the pattern is tested anchored where it occurs */
        private static final int PATTERN_PREFIX = 3;
        /** a needle that every match of a pattern contains: the pattern is tested when it occurs */
        private static final int PATTERN_REQUIRES = 4;

        private final Map<String, List<Integer>> equals = new HashMap<>();
        /** needle → (kind, leaf or regex index) pairs */
        private final Map<String, List<int[]>> needles = new LinkedHashMap<>();
        private final List<Integer> nonEmpty = new ArrayList<>();
        private final List<Pattern> patternList = new ArrayList<>();
        private final List<Integer> patternLeafList = new ArrayList<>();
        /** per pattern: whether a needle decides where or whether it runs */
        private final List<Boolean> prefilteredList = new ArrayList<>();
        private final boolean cased;
        private Map<String, int[]> equalLeaves;
        /** the ASCII equals values by their hash, open addressing: looked up in an ASCII text's lower-cased form without making it */
        private String[] asciiEqualValues;
        private int[][] asciiEqualLeaves;
        private int[] nonEmptyLeaves;
        private Pattern[] patterns;
        private int[] patternLeaves;
        /** the patterns no literal prefilters, which run on every value */
        private int[] unfiltered;
        /** the needles, in the automaton's order */
        private List<String> needleTexts = List.of();
        /** the needles' uses, by the needle's index in the automaton */
        private int[][][] uses;
        private NeedleAutomaton automaton;

        TextLeaves(boolean cased)
        {
            this.cased = cased;
        }

        boolean isEmpty()
        {
            return equals.isEmpty() && needles.isEmpty() && nonEmpty.isEmpty() && patternList.isEmpty();
        }

        boolean hasEquals()
        {
            return !equalLeaves.isEmpty();
        }

        void add(String operator, String needle, int leaf)
        {
            if (operator.equals("equals")) {
                equals.computeIfAbsent(needle, ignored -> new ArrayList<>()).add(leaf);
            }
            else if (needle.isEmpty()) {
                nonEmpty.add(leaf);
            }
            else {
                int kind = switch (operator) {
                    case "contains" -> CONTAINS;
                    case "startswith" -> STARTS;
                    case "endswith" -> ENDS;
                    default -> throw new IllegalArgumentException("operator " + operator + " is not matched here");
                };
                needles.computeIfAbsent(needle, ignored -> new ArrayList<>()).add(new int[] {kind, leaf});
            }
        }

        void regex(String pattern, int leaf)
        {
            RegexLiterals literals = RegexLiterals.of(pattern, cased);
            int index = patternList.size();
            patternList.add(RuleRegex.compile(pattern, cased));
            patternLeafList.add(leaf);
            prefilteredList.add(!literals.required().isEmpty());
            if (!literals.prefix().isEmpty()) {
                needles.computeIfAbsent(form(literals.prefix()), ignored -> new ArrayList<>()).add(new int[] {PATTERN_PREFIX, index});
            }
            else if (!literals.required().isEmpty()) {
                needles.computeIfAbsent(form(literals.required()), ignored -> new ArrayList<>()).add(new int[] {PATTERN_REQUIRES, index});
            }
        }

        private String form(String literal)
        {
            return cased ? literal : literal.toLowerCase(Locale.ROOT);
        }

        void build()
        {
            equalLeaves = byInts(equals);
            List<String> ascii = equalLeaves.keySet().stream().filter(RuleMatcher::isAscii).toList();
            int slots = Integer.highestOneBit(Math.max(1, ascii.size()) * 4);
            asciiEqualValues = new String[slots];
            asciiEqualLeaves = new int[slots][];
            for (String value : ascii) {
                int slot = value.hashCode() & (slots - 1);
                while (asciiEqualValues[slot] != null) {
                    slot = (slot + 1) & (slots - 1);
                }
                asciiEqualValues[slot] = value;
                asciiEqualLeaves[slot] = equalLeaves.get(value);
            }
            nonEmptyLeaves = Compiled.ints(nonEmpty);
            patterns = patternList.toArray(Pattern[]::new);
            patternLeaves = Compiled.ints(patternLeafList);
            List<Integer> always = new ArrayList<>();
            for (int p = 0; p < patterns.length; p++) {
                if (!prefilteredList.get(p)) {
                    always.add(p);
                }
            }
            unfiltered = Compiled.ints(always);
            if (!needles.isEmpty()) {
                needleTexts = List.copyOf(needles.keySet());
                automaton = new NeedleAutomaton(needleTexts);
                uses = needleTexts.stream().map(needle -> needles.get(needle).toArray(int[][]::new)).toArray(int[][][]::new);
            }
        }

        /** @param text the value as it is; @param form the value in this form (itself, or lower-cased) */
        void set(String text, String form, Hits hits)
        {
            setValues(form, hits);
            // lower-cased non-ASCII text may not hold the folded literal where the case-insensitive pattern matches: test it whole
            boolean prefilterHolds = cased || isAscii(text);
            if (automaton != null) {
                int length = form.length();
                automaton.scan(form, (needle, start, end) -> occurred(needle, start, end, length, text, prefilterHolds, hits));
            }
            runPatterns(text, prefilterHolds, hits);
        }

        /** The leaves the whole value sets: non-empty, and equals. @param form the value in this form */
        /** {@link #setValues} of an ASCII text's {@link RuleMatcher#asciiLower} form, which it does not make. */
        void setValuesFoldingAscii(String text, Hits hits)
        {
            hits.setAll(nonEmptyLeaves);
            if (equalLeaves.isEmpty()) {
                return;
            }
            int hash = 0;
            for (int i = 0; i < text.length(); i++) {
                hash = 31 * hash + asciiLower(text.charAt(i));
            }
            int mask = asciiEqualValues.length - 1;
            for (int slot = hash & mask; asciiEqualValues[slot] != null; slot = (slot + 1) & mask) {
                if (equalsAsciiLowered(asciiEqualValues[slot], text)) {
                    hits.setAll(asciiEqualLeaves[slot]);
                    return;
                }
            }
        }

        private static boolean equalsAsciiLowered(String value, String text)
        {
            if (value.length() != text.length()) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (value.charAt(i) != asciiLower(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        void setValues(String form, Hits hits)
        {
            hits.setAll(nonEmptyLeaves);
            int[] equal = equalLeaves.get(form);
            if (equal != null) {
                hits.setAll(equal);
            }
        }

        /**
         * The leaves an occurrence of needle (its index in {@link #needleTexts}) from start to end (exclusive) sets,
         * in a form {@code length} long. A pattern the needle prefilters is tested on {@code text} when the prefilter
         * holds: anchored at start when every match starts with the needle, else once on the whole text.
         */
        void occurred(int needle, int start, int end, int length, String text, boolean prefilterHolds, Hits hits)
        {
            for (int[] use : uses[needle]) {
                switch (use[0]) {
                    case CONTAINS -> hits.set(use[1]);
                    case STARTS -> {
                        if (start == 0) {
                            hits.set(use[1]);
                        }
                    }
                    case ENDS -> {
                        if (end == length) {
                            hits.set(use[1]);
                        }
                    }
                    case PATTERN_REQUIRES -> {
                        int leaf = patternLeaves[use[1]];
                        if (prefilterHolds && !hits.set[leaf] && hits.firstTest(leaf) && patterns[use[1]].matcher(text).find()) {
                            hits.set(leaf);
                        }
                    }
                    default -> {
                        int leaf = patternLeaves[use[1]];
                        if (prefilterHolds && !hits.set[leaf] && matchesAt(use[1], text, start)) {
                            hits.set(leaf);
                        }
                    }
                }
            }
        }

        /**
         * Runs the patterns no needle decided: when the prefilter holds, those without a literal (the others ran where,
         * or when, the record holds their literal, as every match does), else all of them.
         */
        void runPatterns(String text, boolean prefilterHolds, Hits hits)
        {
            for (int i = 0, n = prefilterHolds ? unfiltered.length : patterns.length; i < n; i++) {
                int p = prefilterHolds ? unfiltered[i] : i;
                int leaf = patternLeaves[p];
                if (!hits.set[leaf] && patterns[p].matcher(text).find()) {
                    hits.set(leaf);
                }
            }
        }

        /**
         * Whether pattern p matches starting at {@code start}. Matching the rest of the text anchored is the same as a
         * match of the whole text starting there: the pattern begins with literal text, so no assertion looks before it.
         */
        private boolean matchesAt(int p, String text, int start)
        {
            return patterns[p].matcher(text.substring(start)).lookingAt();
        }
    }
}
