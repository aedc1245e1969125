package io.dragnet.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Task state's Resource does when the local executor runs it. Throw {@link StatesError} with the error name
 * the AWS service would use; any other exception becomes a task failure named after its class.
 */
@FunctionalInterface
public interface TaskResource
{
    JsonNode invoke(String resource, JsonNode parameters, TaskInvocation invocation);

    /** Which execution and state a task runs for; {@code retryCount} is 0 on the first attempt. */
    record TaskInvocation(String executionName, String stateName, int retryCount) {}
}
