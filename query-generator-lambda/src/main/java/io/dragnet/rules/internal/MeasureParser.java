package io.dragnet.rules.internal;

import io.dragnet.rules.model.Condition;
import io.dragnet.rules.model.MeasureExpression;
import io.dragnet.rules.model.MeasureExpression.Function;
import io.dragnet.rules.model.MeasureExpression.Operator;
import io.dragnet.rules.model.SourcePosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses measure definitions and {@code having} conditions of aggregate rules. Grammar, loosest first:
 * {@code or}, {@code and}, {@code not}, comparison ({@code > >= < <= == !=}), {@code + -}, {@code * /}, unary minus,
 * then numbers, parentheses, {@code ratio(a, b)}, aggregate calls ({@code count}, {@code count_distinct(field)},
 * {@code percentile(field, 95)}, …) with an optional {@code where <condition over selections>}, and measure names.
 * A bare name is a measure when one of that name is known, else an aggregate function without arguments
 * ({@code count}, {@code interval_cv}). Errors are {@link ConditionParser.ConditionException}s with the offending token's position.
 */
public final class MeasureParser
{
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|[A-Za-z_@][A-Za-z0-9_.@]*|>=|<=|==|!=|[()<>,+\\-*/]|\\S)");
    private static final Pattern NUMBER = Pattern.compile("\\d.*");

    private final String text;
    private final SourcePosition start;
    private final Collection<String> measures;
    private final List<Token> tokens = new ArrayList<>();
    private int next;

    private record Token(String text, int offset) {}

    private MeasureParser(String text, SourcePosition start, Collection<String> measures)
    {
        this.text = text;
        this.start = start;
        this.measures = measures;
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(new Token(matcher.group(1), matcher.start(1)));
        }
    }

    /**
     * @param measures names of the measures the expression may refer to
     * @param what "measure 'x'" or "having", for messages
     */
    public static MeasureExpression parse(String text, SourcePosition start, Collection<String> measures, String what)
            throws ConditionParser.ConditionException
    {
        MeasureParser parser = new MeasureParser(text, start, measures);
        if (parser.tokens.isEmpty()) {
            throw new ConditionParser.ConditionException(start, what + " is empty; expected an expression such as 'count_distinct(destination.ip)'");
        }
        MeasureExpression expression = parser.or();
        if (parser.next < parser.tokens.size()) {
            Token extra = parser.tokens.get(parser.next);
            throw new ConditionParser.ConditionException(parser.at(extra), "unexpected '" + extra.text() + "' in " + what + "; expected an operator or the end");
        }
        return expression;
    }

    private MeasureExpression or()
            throws ConditionParser.ConditionException
    {
        MeasureExpression left = and();
        while (peek("or")) {
            Token operator = tokens.get(next++);
            left = new MeasureExpression.Binary(Operator.OR, left, and(), at(operator));
        }
        return left;
    }

    private MeasureExpression and()
            throws ConditionParser.ConditionException
    {
        MeasureExpression left = not();
        while (peek("and")) {
            Token operator = tokens.get(next++);
            left = new MeasureExpression.Binary(Operator.AND, left, not(), at(operator));
        }
        return left;
    }

    private MeasureExpression not()
            throws ConditionParser.ConditionException
    {
        if (peek("not")) {
            Token operator = tokens.get(next++);
            return new MeasureExpression.Not(not(), at(operator));
        }
        return comparison();
    }

    private MeasureExpression comparison()
            throws ConditionParser.ConditionException
    {
        MeasureExpression left = additive();
        Optional<Operator> operator = peekOperator(List.of(Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.EQ, Operator.NE));
        if (operator.isPresent()) {
            Token token = tokens.get(next++);
            MeasureExpression right = additive();
            if (peekOperator(List.of(Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.EQ, Operator.NE)).isPresent()) {
                throw new ConditionParser.ConditionException(at(tokens.get(next)), "comparisons cannot be chained; expected 'and' between two comparisons");
            }
            return new MeasureExpression.Binary(operator.get(), left, right, at(token));
        }
        return left;
    }

    private MeasureExpression additive()
            throws ConditionParser.ConditionException
    {
        MeasureExpression left = term();
        Optional<Operator> operator;
        while ((operator = peekOperator(List.of(Operator.ADD, Operator.SUBTRACT))).isPresent()) {
            Token token = tokens.get(next++);
            left = new MeasureExpression.Binary(operator.get(), left, term(), at(token));
        }
        return left;
    }

    private MeasureExpression term()
            throws ConditionParser.ConditionException
    {
        MeasureExpression left = unary();
        Optional<Operator> operator;
        while ((operator = peekOperator(List.of(Operator.MULTIPLY, Operator.DIVIDE))).isPresent()) {
            Token token = tokens.get(next++);
            left = new MeasureExpression.Binary(operator.get(), left, unary(), at(token));
        }
        return left;
    }

    private MeasureExpression unary()
            throws ConditionParser.ConditionException
    {
        if (peek("-")) {
            Token token = tokens.get(next++);
            return new MeasureExpression.Binary(Operator.SUBTRACT, new MeasureExpression.Number(0, at(token)), unary(), at(token));
        }
        return primary();
    }

    private MeasureExpression primary()
            throws ConditionParser.ConditionException
    {
        if (next >= tokens.size()) {
            throw new ConditionParser.ConditionException(end(), "expression ends early; expected a number, a measure name or a function such as count");
        }
        Token token = tokens.get(next++);
        if (token.text().equals("(")) {
            MeasureExpression inner = or();
            expect(")", "to close the '(' at column " + at(token).column());
            return inner;
        }
        if (NUMBER.matcher(token.text()).matches()) {
            return new MeasureExpression.Number(Double.parseDouble(token.text()), at(token));
        }
        if (!Character.isLetter(token.text().charAt(0)) && token.text().charAt(0) != '_' && token.text().charAt(0) != '@') {
            throw new ConditionParser.ConditionException(at(token), "unexpected '" + token.text() + "'; expected a number, a measure name, a function or '('");
        }
        String word = token.text();
        String lower = word.toLowerCase(Locale.ROOT);
        boolean call = peek("(");
        if (!call && measures.contains(word)) {
            return new MeasureExpression.Reference(word, at(token));
        }
        if (lower.equals("ratio")) {
            expect("(", "after 'ratio'");
            MeasureExpression numerator = or();
            expect(",", "between the two measures of ratio(a, b)");
            MeasureExpression denominator = or();
            expect(")", "to close ratio(");
            return new MeasureExpression.Ratio(numerator, denominator, at(token));
        }
        Optional<Function> function = Function.keywords().contains(lower) ? Optional.of(Function.valueOf(lower.toUpperCase(Locale.ROOT))) : Optional.empty();
        if (function.isEmpty()) {
            List<String> candidates = new ArrayList<>(measures);
            candidates.addAll(Function.keywords());
            candidates.add("ratio");
            throw new ConditionParser.ConditionException(at(token), "'" + word + "' is neither a measure of this rule nor a function; expected one of the measures "
                    + measures + " or a function of " + Function.keywords() + " or ratio" + Suggestions.didYouMean(word, candidates));
        }
        return aggregate(function.get(), token, call);
    }

    private MeasureExpression aggregate(Function function, Token name, boolean call)
            throws ConditionParser.ConditionException
    {
        String field = null;
        Double parameter = null;
        if (call) {
            next++;
            if (!peek(")")) {
                Token argument = tokens.get(next++);
                if (!Character.isLetter(argument.text().charAt(0)) && argument.text().charAt(0) != '_' && argument.text().charAt(0) != '@') {
                    throw new ConditionParser.ConditionException(at(argument), function.keyword() + " takes " + expectedArguments(function) + "; found '" + argument.text() + "'");
                }
                field = argument.text();
                if (peek(",")) {
                    next++;
                    if (next >= tokens.size() || !NUMBER.matcher(tokens.get(next).text()).matches()) {
                        throw new ConditionParser.ConditionException(next >= tokens.size() ? end() : at(tokens.get(next)), function.keyword() + "'s second argument must be a number; expected "
                                + expectedArguments(function));
                    }
                    parameter = Double.parseDouble(tokens.get(next++).text());
                }
            }
            expect(")", "to close " + function.keyword() + "(");
        }
        if (function.takesField() && field == null) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + " needs " + expectedArguments(function));
        }
        if (!function.takesField() && !function.overHistory() && field != null) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + " takes no field; expected '" + function.keyword() + "' alone"
                    + (function == Function.COUNT ? " (count_distinct(field) counts distinct values)" : ""));
        }
        if (function.overHistory() && field == null) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + " needs the measure it looks back on, e.g. " + function.keyword() + "(bytes)");
        }
        if (function.overHistory() && !measures.contains(field)) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + "(" + field + "): '" + field + "' is not a measure defined above; expected one of "
                    + measures + Suggestions.didYouMean(field, measures));
        }
        if (function.takesParameter() && parameter == null) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + " needs " + expectedArguments(function));
        }
        if (!function.takesParameter() && parameter != null) {
            throw new ConditionParser.ConditionException(at(name), function.keyword() + " takes " + expectedArguments(function) + "; found a second argument");
        }
        if (function == Function.PERCENTILE && (parameter <= 0 || parameter > 100)) {
            throw new ConditionParser.ConditionException(at(name), "percentile " + parameter + " is out of range; expected a number above 0 and at most 100");
        }
        Condition filter = null;
        if (peek("where")) {
            if (function.overHistory()) {
                throw new ConditionParser.ConditionException(at(tokens.get(next)), function.keyword() + " cannot be filtered with 'where'; expected the filter on the measure it looks back on");
            }
            filter = where(tokens.get(next++));
        }
        return new MeasureExpression.Aggregate(function, field, parameter, filter, at(name));
    }

    /** The condition after {@code where} runs to the end, or to a ',' or unmatched ')' (inside ratio). */
    private Condition where(Token where)
            throws ConditionParser.ConditionException
    {
        int first = next;
        int depth = 0;
        while (next < tokens.size()) {
            String token = tokens.get(next).text();
            if (token.equals("(")) {
                depth++;
            }
            else if (token.equals(")")) {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            else if (token.equals(",") && depth == 0) {
                break;
            }
            next++;
        }
        if (first == next) {
            throw new ConditionParser.ConditionException(at(where), "'where' needs a condition over the rule's selections, e.g. 'where udp and not dns'");
        }
        int from = tokens.get(first).offset();
        int to = next < tokens.size() ? tokens.get(next).offset() : text.length();
        SourcePosition conditionStart = new SourcePosition(start.file(), start.line(), start.column() + from);
        return ConditionParser.parse(text.substring(from, to), conditionStart);
    }

    private static String expectedArguments(Function function)
    {
        return switch (function) {
            case COUNT, INTERVAL_CV -> "no arguments";
            case PERCENTILE -> "a field and a percentile, e.g. percentile(duration, 95)";
            case HISTORY_AVG, HISTORY_MAX -> "a measure name";
            case COUNT_DISTINCT, SUM, MIN, MAX, AVG, STDDEV, COUNT_NEW -> "one field, e.g. " + function.keyword() + "(destination.ip)";
            case ENTROPY -> "one text field, e.g. entropy(dns.question.name)";
        };
    }

    private void expect(String token, String why)
            throws ConditionParser.ConditionException
    {
        if (next >= tokens.size() || !tokens.get(next).text().equals(token)) {
            throw new ConditionParser.ConditionException(next >= tokens.size() ? end() : at(tokens.get(next)), "expected '" + token + "' " + why
                    + (next >= tokens.size() ? "; the expression ends" : "; found '" + tokens.get(next).text() + "'"));
        }
        next++;
    }

    private boolean peek(String word)
    {
        return next < tokens.size() && tokens.get(next).text().equalsIgnoreCase(word);
    }

    private Optional<Operator> peekOperator(List<Operator> operators)
    {
        if (next >= tokens.size()) {
            return Optional.empty();
        }
        String token = tokens.get(next).text();
        return operators.stream().filter(operator -> operator.symbol().equals(token)).findFirst();
    }

    private SourcePosition at(Token token)
    {
        return new SourcePosition(start.file(), start.line(), start.column() + token.offset());
    }

    private SourcePosition end()
    {
        return new SourcePosition(start.file(), start.line(), start.column() + text.length());
    }
}
