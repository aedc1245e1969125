package io.dragnet.cli;

import io.dragnet.contracts.DragnetException;
import io.dragnet.rules.ValidateCommand;
import io.dragnet.sharing.alert.SharingChannelCheck;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/** Entry point of {@code ./dragnet}. Exit codes: 0 ok, 1 failure, 2 bad usage or bad input. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err)
    {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(arg -> !arg.equals("--verbose")).toArray(String[]::new);
        CommandLine commandLine = new CommandLine(new DragnetCommand(), new CommandFactory());
        // `rules try` runs Spark jobs, which the rules module does not depend on: this module adds it (before the
        // writers and handlers are set, so that it gets them too)
        commandLine.getSubcommands().get("rules").addSubcommand("try", new RulesTryCommand());
        commandLine.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new ErrorReporter(verbose));
        return commandLine.execute(rest);
    }

    /**
     * Builds commands whose collaborators live in modules their own module does not depend on: {@code rules validate}
     * checks {@code notify:} channels against sharing policies, which the sharing module reads.
     */
    private static final class CommandFactory
            implements CommandLine.IFactory
    {
        private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

        @Override
        public <K> K create(Class<K> type)
                throws Exception
        {
            if (type == ValidateCommand.class) {
                return type.cast(new ValidateCommand(new SharingChannelCheck()));
            }
            return defaults.create(type);
        }
    }

    /** Prints errors as one clear message; the stack trace only with --verbose or for internal errors. */
    private record ErrorReporter(boolean verbose)
            implements CommandLine.IExecutionExceptionHandler
    {
        @Override
        public int handleExecutionException(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult)
        {
            PrintWriter err = commandLine.getErr();
            if (exception instanceof DragnetException dragnet) {
                err.println("dragnet: " + dragnet.getMessage());
                if (verbose) {
                    dragnet.printStackTrace(err);
                }
                err.flush();
                return dragnet.exitCode();
            }
            err.println("dragnet: " + exception.getClass().getSimpleName() + ": " + exception.getMessage());
            if (verbose) {
                exception.printStackTrace(err);
            }
            else {
                err.println("(run with --verbose for the stack trace)");
            }
            err.flush();
            return 1;
        }
    }
}
