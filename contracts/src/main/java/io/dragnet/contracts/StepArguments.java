package io.dragnet.contracts;

/**
 * The options of a Spark step's main class, as an EMR step or the local executor passes them: {@code --name value} or
 * {@code --name=value}.
 */
public final class StepArguments
{
    private StepArguments() {}

    /** The value of option {@code name} (with its dashes); a user error naming {@code usage} when it is missing. */
    public static String value(String[] args, String name, String usage)
    {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        throw DragnetException.user("usage: " + usage + " (missing " + name + ")");
    }
}
