package io.dragnet.opensearch.client;

import static java.util.Objects.requireNonNull;

/** Status and body of one HTTP exchange with OpenSearch. */
public record RestResponse(int status, String body)
{
    public RestResponse
    {
        requireNonNull(body, "body is null");
    }

    public boolean ok()
    {
        return status >= 200 && status < 300;
    }
}
