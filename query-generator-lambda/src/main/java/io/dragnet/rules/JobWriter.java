package io.dragnet.rules;

import io.dragnet.contracts.Json;
import io.dragnet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Writes a compilation under {@code <work>/jobs/dt=<date>/run=<runId>/}: IoC tables first, then the job specs, so a
 * spec never names a table that is not there yet. Each object is written atomically; the same run id rewrites the same bytes.
 */
public final class JobWriter
{
    private final ObjectStore store;

    public JobWriter(ObjectStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    public void write(Compilation compilation)
    {
        for (Compilation.Job job : compilation.jobs()) {
            for (Map.Entry<String, byte[]> table : job.tables().entrySet()) {
                store.write(table.getKey(), table.getValue());
            }
        }
        for (Compilation.Job job : compilation.jobs()) {
            store.write(job.specLocation(), (Json.write(job.spec()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (compilation.correlations() != null) {
            store.write(compilation.correlations().specLocation(), (Json.write(compilation.correlations().spec()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
