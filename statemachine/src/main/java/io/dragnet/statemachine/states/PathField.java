package io.dragnet.statemachine.states;

/**
 * InputPath, OutputPath or ResultPath as written: absent ({@link #ABSENT}, the default applies), {@code null}
 * ({@link #DISCARD}) or a path.
 */
public record PathField(Kind kind, String path)
{
    public enum Kind { ABSENT, DISCARD, PATH }

    public static final PathField ABSENT = new PathField(Kind.ABSENT, null);
    public static final PathField DISCARD = new PathField(Kind.DISCARD, null);

    public PathField
    {
        if ((kind == Kind.PATH) != (path != null)) {
            throw new IllegalArgumentException("a path is given exactly when the kind is PATH");
        }
    }

    public static PathField of(String path)
    {
        return new PathField(Kind.PATH, path);
    }
}
