package io.dragnet.rules;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.storage.LocalObjectStore;
import io.dragnet.storage.ObjectStores;
import io.dragnet.storage.S3ObjectStore;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * GenerateJobsFunctionArn: the workflow input ({@code date, runId, rulesLocation, workLocation, lakeLocation,
 * resultsLocation, enrichmentLocation}) in, {@link io.dragnet.contracts.GenerateJobsResult} as a map out.
 * Thin: it maps the input, delegates to {@link GenerateJobs} and maps the result. The S3 client is built once per
 * handler instance, on the first {@code s3://} location (the embedded binding never needs one); nothing random or
 * time-dependent is captured at init, so a SnapStart snapshot stays valid.
 */
public final class GenerateJobsHandler
        implements RequestHandler<Map<String, Object>, Map<String, Object>>
{
    private final GenerateJobs generateJobs;
    private final DragnetHome home;

    public GenerateJobsHandler()
    {
        this(new Memoized<>(() -> S3Client.builder().build()), DragnetHome.fromEnvironment());
    }

    public GenerateJobsHandler(Supplier<S3Client> s3, DragnetHome home)
    {
        this.generateJobs = new GenerateJobs(new ObjectStores(new LocalObjectStore(), new S3ObjectStore(new Memoized<>(s3))), true);
        this.home = requireNonNull(home, "home is null");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context)
    {
        GenerateJobsRequest request = GenerateJobsRequest.fromInput(input, home);
        return Json.mapper().convertValue(generateJobs.generate(request), Map.class);
    }

    /** Builds the value once, on first use. */
    private static final class Memoized<T>
            implements Supplier<T>
    {
        private final Supplier<T> factory;
        private T value;

        Memoized(Supplier<T> factory)
        {
            this.factory = requireNonNull(factory, "factory is null");
        }

        @Override
        public synchronized T get()
        {
            if (value == null) {
                value = factory.get();
            }
            return value;
        }
    }
}
