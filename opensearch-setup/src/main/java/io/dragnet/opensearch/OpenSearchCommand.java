package io.dragnet.opensearch;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Start/stop the embedded OpenSearch node and apply templates, retention and Dashboards objects. */
@Command(name = "opensearch", mixinStandardHelpOptions = true, description = "Start/stop the embedded OpenSearch node and apply templates, retention and Dashboards objects.")
public final class OpenSearchCommand
        implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        throw new UnsupportedOperationException("dragnet opensearch is not built yet");
    }
}
