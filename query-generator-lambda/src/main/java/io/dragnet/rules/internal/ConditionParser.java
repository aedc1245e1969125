package io.dragnet.rules.internal;

import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the condition language: selection names, {@code and}, {@code or}, {@code not}, parentheses,
 * {@code 1 of sel_*} / {@code any of sel_*} / {@code all of them}. Precedence: not, then and, then or.
 * Double negations cancel ({@code not not a} is {@code a}, also across parentheses), and parentheses may nest at most
 * {@link #MAX_DEPTH} deep, so any condition that parses becomes a shallow tree the backends can evaluate.
 */
public final class ConditionParser
{
    /** Far beyond what a readable condition needs; deep enough nesting would otherwise overflow the parser's stack. */
    public static final int MAX_DEPTH = 50;

    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z0-9_*.\\-]+|\\S)");

    private final String text;
    private final SourcePosition start;
    private final List<Token> tokens = new ArrayList<>();
    private int next;
    private int depth;

    private record Token(String text, int offset) {}

    /** Thrown with the position of the offending token. */
    public static final class ConditionException
            extends Exception
    {
        private final SourcePosition position;

        ConditionException(SourcePosition position, String message)
        {
            super(message);
            this.position = position;
        }

        public SourcePosition position()
        {
            return position;
        }
    }

    private ConditionParser(String text, SourcePosition start)
    {
        this.text = text;
        this.start = start;
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(new Token(matcher.group(1), matcher.start(1)));
        }
    }

    public static Condition parse(String text, SourcePosition start)
            throws ConditionException
    {
        ConditionParser parser = new ConditionParser(text, start);
        if (parser.tokens.isEmpty()) {
            throw new ConditionException(start, "condition is empty; expected an expression such as 'selection and not filter'");
        }
        Condition condition = parser.or();
        if (parser.next < parser.tokens.size()) {
            Token extra = parser.tokens.get(parser.next);
            throw new ConditionException(parser.at(extra), "unexpected '" + extra.text() + "' in condition; expected 'and', 'or' or the end");
        }
        return condition;
    }

    private Condition or()
            throws ConditionException
    {
        List<Condition> children = new ArrayList<>();
        children.add(and());
        while (peekKeyword("or")) {
            next++;
            children.add(and());
        }
        return children.size() == 1 ? children.get(0) : new Condition.Or(children);
    }

    private Condition and()
            throws ConditionException
    {
        List<Condition> children = new ArrayList<>();
        children.add(unary());
        while (peekKeyword("and")) {
            next++;
            children.add(unary());
        }
        return children.size() == 1 ? children.get(0) : new Condition.And(children);
    }

    private Condition unary()
            throws ConditionException
    {
        boolean negated = false;
        while (peekKeyword("not")) {
            next++;
            negated = !negated;
        }
        Condition operand = primary();
        if (!negated) {
            return operand;
        }
        return operand instanceof Condition.Not not ? not.child() : new Condition.Not(operand);
    }

    private Condition primary()
            throws ConditionException
    {
        if (next >= tokens.size()) {
            throw new ConditionException(endPosition(), "condition ends early; expected a selection name, 'not', '(' or '1 of'/'all of'");
        }
        Token token = tokens.get(next++);
        String word = token.text().toLowerCase(Locale.ROOT);
        if (token.text().equals("(")) {
            if (++depth > MAX_DEPTH) {
                throw new ConditionException(at(token), "parentheses nest deeper than " + MAX_DEPTH + " levels here; expected at most " + MAX_DEPTH
                        + " (split the condition into named selections)");
            }
            Condition inner = or();
            depth--;
            if (next >= tokens.size() || !tokens.get(next).text().equals(")")) {
                throw new ConditionException(next >= tokens.size() ? endPosition() : at(tokens.get(next)),
                        "missing ')' for the '(' at column " + at(token).column());
            }
            next++;
            return inner;
        }
        if (word.equals("1") || word.equals("any") || word.equals("all")) {
            if (!peekKeyword("of")) {
                throw new ConditionException(at(token), "expected 'of' after '" + token.text() + "' (as in '1 of sel_*' or 'all of them')");
            }
            next++;
            if (next >= tokens.size() || !isName(tokens.get(next).text())) {
                throw new ConditionException(next >= tokens.size() ? endPosition() : at(tokens.get(next)),
                        "expected a selection pattern or 'them' after '" + token.text() + " of'");
            }
            Token pattern = tokens.get(next++);
            return new Condition.Quantified(word.equals("all"), pattern.text(), at(pattern));
        }
        if (isKeyword(word) || !isName(token.text())) {
            throw new ConditionException(at(token), "unexpected '" + token.text() + "' in condition; expected a selection name, 'not', '(' or '1 of'/'all of'");
        }
        return new Condition.Reference(token.text(), at(token));
    }

    private boolean peekKeyword(String keyword)
    {
        return next < tokens.size() && tokens.get(next).text().equalsIgnoreCase(keyword);
    }

    private static boolean isKeyword(String word)
    {
        return switch (word) {
            case "and", "or", "not", "of", "them" -> true;
            default -> false;
        };
    }

    private static boolean isName(String text)
    {
        return text.matches("[A-Za-z0-9_*.\\-]+");
    }

    private SourcePosition at(Token token)
    {
        return new SourcePosition(start.file(), start.line(), start.column() + token.offset());
    }

    private SourcePosition endPosition()
    {
        return new SourcePosition(start.file(), start.line(), start.column() + text.length());
    }
}
