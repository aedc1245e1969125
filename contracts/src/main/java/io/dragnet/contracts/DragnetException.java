package io.dragnet.contracts;

import static java.util.Objects.requireNonNull;

/**
 * An error with a category that decides how the CLI and the workflow report it:
 * USER errors (bad rule, bad flag, bad input file) exit 2 and name what to fix; EXTERNAL (an engine or service
 * failed) and INTERNAL (a bug) exit 1.
 */
public class DragnetException extends RuntimeException
{
    public enum Category { USER, EXTERNAL, INTERNAL }

    private final Category category;

    public DragnetException(Category category, String message)
    {
        this(category, message, null);
    }

    public DragnetException(Category category, String message, Throwable cause)
    {
        super(message, cause);
        this.category = requireNonNull(category, "category is null");
    }

    public static DragnetException user(String message)
    {
        return new DragnetException(Category.USER, message);
    }

    public static DragnetException external(String message, Throwable cause)
    {
        return new DragnetException(Category.EXTERNAL, message, cause);
    }

    public Category category()
    {
        return category;
    }

    public int exitCode()
    {
        return switch (category) {
            case USER -> 2;
            case EXTERNAL, INTERNAL -> 1;
        };
    }
}
