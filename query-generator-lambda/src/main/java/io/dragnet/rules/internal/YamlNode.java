package io.dragnet.rules.internal;

import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Value;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A YAML document as a tree that remembers where every key and value was written. */
public sealed interface YamlNode
{
    SourcePosition position();

    /** What the node is, for "found X, expected Y" messages. */
    String describe();

    record Scalar(Value value) implements YamlNode
    {
        public Scalar
        {
            requireNonNull(value, "value is null");
        }

        @Override
        public SourcePosition position()
        {
            return value.position();
        }

        public String text()
        {
            return value.text();
        }

        @Override
        public String describe()
        {
            return switch (value.type()) {
                case STRING -> "string '" + abbreviate(value.text()) + "'";
                case NUMBER -> "number " + value.text();
                case BOOLEAN -> "boolean " + value.text();
                case NULL -> "null";
            };
        }
    }

    record Entry(Scalar key, YamlNode value)
    {
        public String name()
        {
            return key.text();
        }
    }

    record Mapping(List<Entry> entries, SourcePosition position) implements YamlNode
    {
        public Mapping
        {
            entries = List.copyOf(entries);
        }

        public Optional<Entry> entry(String name)
        {
            return entries.stream().filter(entry -> name.equals(entry.name())).findFirst();
        }

        @Override
        public String describe()
        {
            return "a map";
        }
    }

    record Sequence(List<YamlNode> items, SourcePosition position) implements YamlNode
    {
        public Sequence
        {
            items = List.copyOf(items);
        }

        @Override
        public String describe()
        {
            return "a list";
        }
    }

    static String abbreviate(String text)
    {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return shown.replace("\n", "\\n").replace("\0", "\\0");
    }
}
