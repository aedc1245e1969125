package io.dragnet.sparkjobs.sink;

import java.io.Serializable;

/** Opens sinks on executors: serializable, so it travels with the Spark task. */
@FunctionalInterface
public interface DocumentSinkFactory
        extends Serializable
{
    DocumentSink open();
}
