package io.dragnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code dragnet} command line run in-process through {@link Main#run}, with what it printed. */
record CommandRun(int exitCode, String out, String err)
{
    static CommandRun of(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
