package io.dragnet.contracts;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where the embedded default keeps its state on one machine: {@code $DRAGNET_HOME}, else {@code .dragnet/} in the
 * working directory. Every local location (lake, work, results, engines) is resolved from here and nowhere else.
 */
public record DragnetHome(Path root)
{
    public DragnetHome
    {
        requireNonNull(root, "root is null");
        root = root.toAbsolutePath().normalize();
    }

    /** The folder a command's {@code --home} option named, or, when it named none, {@link #fromEnvironment()}. */
    public static DragnetHome fromOption(Path home)
    {
        return home != null ? new DragnetHome(home) : fromEnvironment();
    }

    public static DragnetHome fromEnvironment()
    {
        return fromEnvironment(System.getenv());
    }

    static DragnetHome fromEnvironment(Map<String, String> environment)
    {
        return new DragnetHome(EnvironmentVariable.DRAGNET_HOME.read(environment).map(Path::of).orElse(Path.of(".dragnet")));
    }

    /** Date-partitioned input data: {@code lake/<source>/dt=YYYY-MM-DD/}. */
    public Path lake()
    {
        return root.resolve("lake");
    }

    /** Compiled job specs and IoC tables: {@code work/jobs/dt=…/run=…/}. */
    public Path work()
    {
        return root.resolve("work");
    }

    /** CSV summaries, run metrics, ledger, execution histories. */
    public Path results()
    {
        return root.resolve("results");
    }

    /** Per-engine state (OpenSearch node, Kafka broker, models). */
    public Path engine(String name)
    {
        return root.resolve("engines").resolve(name);
    }

    public Path models()
    {
        return root.resolve("models");
    }
}
