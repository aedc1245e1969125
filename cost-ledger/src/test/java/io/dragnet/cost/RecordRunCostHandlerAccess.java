package io.dragnet.cost;

import io.dragnet.cost.aws.AwsClients;

import java.util.Map;

/** Lets tests in other packages build the handler with AWS clients pointed at local servers. */
public final class RecordRunCostHandlerAccess
{
    private final RecordRunCostHandler handler;

    public RecordRunCostHandlerAccess(AwsClients clients, Map<String, String> environment)
    {
        this.handler = new RecordRunCostHandler(clients, environment);
    }

    public Map<String, Object> handle(Map<String, Object> input)
    {
        return handler.handleRequest(input, null);
    }
}
