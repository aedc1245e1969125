package io.dragnet.rules.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.dragnet.rules.Problem;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads YAML with Jackson's streaming parser into {@link YamlNode} trees that keep line and column of every key
 * and value. Duplicate keys are reported (YAML forbids them; silently keeping the last would hide a mistake).
 */
public final class YamlReader
{
    /** Rule and source files are small; big value lists belong in IoC files. */
    public static final int MAX_FILE_CHARACTERS = 1 << 20;
    /** Rules nest about five levels and STIX or MISP documents about ten; deeper input would only exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlReader() {}

    /** Every document of the file; problems go to {@code problems}, and an unreadable file yields no documents. */
    public static List<YamlNode> readDocuments(String file, String content, Consumer<Problem> problems)
    {
        return readDocuments(file, content, FACTORY, MAX_FILE_CHARACTERS, true, problems);
    }

    /**
     * Same for any Jackson format with locations. JSON files of IoC feeds use this with {@code quoteParser} false: the
     * parser's messages quote the text they stopped at, and errors never echo the contents of a feed file.
     */
    public static List<YamlNode> readDocuments(String file, String content, JsonFactory factory, int maxCharacters, boolean quoteParser, Consumer<Problem> problems)
    {
        if (content.length() > maxCharacters) {
            problems.accept(new Problem(SourcePosition.ofFile(file), null,
                    "file has " + content.length() + " characters; expected at most " + maxCharacters
                            + " (put long value lists in an IoC file and reference it with 'files')"));
            return List.of();
        }
        List<YamlNode> documents = new ArrayList<>();
        try (JsonParser parser = factory.createParser(content)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                documents.add(readNode(file, parser, token, 1, problems));
            }
        }
        catch (Refused e) {
            problems.accept(new Problem(e.position, null, e.getMessage()));
            return List.of();
        }
        catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            SourcePosition position = location == null ? SourcePosition.ofFile(file) : new SourcePosition(file, location.getLineNr(), location.getColumnNr());
            problems.accept(new Problem(position, null, quoteParser ? "not valid YAML: " + firstLine(e.getOriginalMessage())
                    : "not valid " + factory.getFormatName() + " at this position; expected a well-formed document"));
            return List.of();
        }
        catch (IOException e) {
            problems.accept(new Problem(SourcePosition.ofFile(file), null, quoteParser ? "cannot read: " + e.getMessage() : "cannot read at this position; expected a well-formed document"));
            return List.of();
        }
        return documents;
    }

    private static YamlNode readNode(String file, JsonParser parser, JsonToken token, int depth, Consumer<Problem> problems)
            throws IOException
    {
        SourcePosition position = position(file, parser);
        if (depth > MAX_DEPTH) {
            throw new Refused(position, "nested deeper than " + MAX_DEPTH + " levels here; expected at most " + MAX_DEPTH);
        }
        refuseAnchors(parser, position);
        return switch (token) {
            case START_OBJECT -> {
                List<YamlNode.Entry> entries = new ArrayList<>();
                Map<String, SourcePosition> seen = new HashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    refuseAnchors(parser, position(file, parser));
                    YamlNode.Scalar key = new YamlNode.Scalar(new Value(parser.currentName(), Value.Type.STRING, position(file, parser)));
                    YamlNode value = readNode(file, parser, parser.nextToken(), depth + 1, problems);
                    SourcePosition first = seen.putIfAbsent(key.text(), key.position());
                    if (first != null) {
                        problems.accept(new Problem(key.position(), null,
                                "duplicate key '" + key.text() + "' (first written at line " + first.line() + "); expected each key once"));
                        continue;
                    }
                    entries.add(new YamlNode.Entry(key, value));
                }
                expect(next, JsonToken.END_OBJECT, parser);
                yield new YamlNode.Mapping(entries, position);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new IOException("unexpected end of document inside a list");
                    }
                    items.add(readNode(file, parser, next, depth + 1, problems));
                }
                yield new YamlNode.Sequence(items, position);
            }
            case VALUE_STRING -> scalar(parser.getText(), Value.Type.STRING, position);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> scalar(parser.getText(), Value.Type.NUMBER, position);
            case VALUE_TRUE, VALUE_FALSE -> scalar(parser.getText(), Value.Type.BOOLEAN, position);
            case VALUE_NULL -> scalar(null, Value.Type.NULL, position);
            default -> throw new IOException("unexpected YAML token " + token);
        };
    }

    /** Jackson hands an alias over as its anchor's name, so a rule using one would silently match that name instead. */
    private static void refuseAnchors(JsonParser parser, SourcePosition position)
            throws IOException
    {
        if (parser instanceof YAMLParser yaml && (yaml.isCurrentAlias() || yaml.getObjectId() != null)) {
            throw new Refused(position, "YAML " + (yaml.isCurrentAlias() ? "alias" : "anchor") + " here; expected every value written out "
                    + "(anchors '&', aliases '*' and merge keys '<<' are not supported)");
        }
    }

    /** Input refused as a whole (too deep, anchors), with where. */
    private static final class Refused
            extends IOException
    {
        private final SourcePosition position;

        Refused(SourcePosition position, String message)
        {
            super(message);
            this.position = position;
        }
    }

    private static YamlNode.Scalar scalar(String text, Value.Type type, SourcePosition position)
    {
        return new YamlNode.Scalar(new Value(text, type, position));
    }

    private static void expect(JsonToken found, JsonToken expected, JsonParser parser)
            throws IOException
    {
        if (found != expected) {
            throw new IOException("unexpected YAML token " + found + " at " + parser.currentTokenLocation());
        }
    }

    private static SourcePosition position(String file, JsonParser parser)
    {
        JsonLocation location = parser.currentTokenLocation();
        return new SourcePosition(file, location.getLineNr(), location.getColumnNr());
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
