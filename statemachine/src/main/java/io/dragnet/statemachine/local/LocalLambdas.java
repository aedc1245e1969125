package io.dragnet.statemachine.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dragnet.statemachine.StatesError;
import io.dragnet.statemachine.TaskResource;
import io.dragnet.statemachine.internal.JsonPaths;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The Lambda binding: {@code arn:aws:states:::lambda:invoke} with a FunctionName bound to a handler class, called
 * in-process. One instance per class, created on first use with its public no-arg constructor, kept warm as Lambda
 * keeps an execution environment. The result has the integration's shape: {@code {"StatusCode":200,"Payload":…}}.
 */
public final class LocalLambdas
        implements TaskResource
{
    public static final String INVOKE = "arn:aws:states:::lambda:invoke";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Map<String, String> handlersByFunction;
    private final PrintStream log;
    private final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> wired;
    private final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> instances = new ConcurrentHashMap<>();

    public LocalLambdas(Map<String, String> handlersByFunction, PrintStream log)
    {
        this(handlersByFunction, log, Map.of());
    }

    private LocalLambdas(Map<String, String> handlersByFunction, PrintStream log, Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> wired)
    {
        this.handlersByFunction = Map.copyOf(requireNonNull(handlersByFunction, "handlersByFunction is null"));
        this.log = requireNonNull(log, "log is null");
        this.wired = Map.copyOf(wired);
    }

    /** A copy where {@code functionName} is answered by this handler instance (a handler wired to local collaborators). */
    public LocalLambdas with(String functionName, RequestHandler<Map<String, Object>, Map<String, Object>> handler)
    {
        Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> wired = new java.util.HashMap<>(this.wired);
        wired.put(requireNonNull(functionName, "functionName is null"), requireNonNull(handler, "handler is null"));
        return new LocalLambdas(handlersByFunction, log, wired);
    }

    public boolean binds(String functionName)
    {
        return wired.containsKey(functionName) || handlersByFunction.containsKey(functionName);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode parameters, TaskInvocation invocation)
    {
        boolean integration = resource.equals(INVOKE) || resource.equals(INVOKE + ".waitForTaskToken");
        String function = integration ? parameters.path("FunctionName").asText(null) : resource;
        if (function == null) {
            throw StatesError.runtime("lambda:invoke needs Parameters.FunctionName");
        }
        JsonNode payload = integration ? parameters.path("Payload") : parameters;
        RequestHandler<Map<String, Object>, Map<String, Object>> handler = handler(function);
        Map<String, Object> input = payload.isMissingNode() || payload.isNull() ? Map.of() : JsonPaths.mapper().convertValue(payload, MAP);
        Map<String, Object> output = handler.handleRequest(input, new LocalContext(function, invocation, log));
        JsonNode result = JsonPaths.mapper().valueToTree(output);
        if (!integration) {
            return result;
        }
        ObjectNode response = JsonPaths.object();
        response.put("ExecutedVersion", "$LATEST");
        response.set("Payload", result);
        response.put("StatusCode", 200);
        return response;
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<Map<String, Object>, Map<String, Object>> handler(String function)
    {
        RequestHandler<Map<String, Object>, Map<String, Object>> wiredHandler = wired.get(function);
        if (wiredHandler != null) {
            return wiredHandler;
        }
        String className = handlersByFunction.get(function);
        if (className == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "no local handler is bound to function '" + function + "' (bound: " + handlersByFunction.keySet() + ")");
        }
        return instances.computeIfAbsent(className, name -> {
            try {
                Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
                Object instance = type.getConstructor().newInstance();
                if (!(instance instanceof RequestHandler<?, ?>)) {
                    throw new StatesError("Lambda.InvalidRuntimeException", name + " does not implement com.amazonaws.services.lambda.runtime.RequestHandler");
                }
                return (RequestHandler<Map<String, Object>, Map<String, Object>>) instance;
            }
            catch (ClassNotFoundException e) {
                throw new StatesError("Lambda.ResourceNotFoundException", "handler class " + name + " for function '" + function + "' is not on the classpath");
            }
            catch (ReflectiveOperationException e) {
                throw new StatesError("Lambda.InvalidRuntimeException", "cannot create " + name + " with its public no-arg constructor: " + e);
            }
        });
    }

    private record LocalContext(String function, TaskInvocation invocation, PrintStream log)
            implements Context
    {
        @Override
        public String getAwsRequestId()
        {
            return UUID.nameUUIDFromBytes((invocation.executionName() + "/" + invocation.stateName() + "/" + invocation.retryCount()).getBytes(StandardCharsets.UTF_8)).toString();
        }

        @Override
        public String getLogGroupName()
        {
            return "/aws/lambda/" + function;
        }

        @Override
        public String getLogStreamName()
        {
            return "local/" + invocation.executionName();
        }

        @Override
        public String getFunctionName()
        {
            return function;
        }

        @Override
        public String getFunctionVersion()
        {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn()
        {
            return function;
        }

        @Override
        public CognitoIdentity getIdentity()
        {
            return null;
        }

        @Override
        public ClientContext getClientContext()
        {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis()
        {
            return 900_000;
        }

        @Override
        public int getMemoryLimitInMB()
        {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger()
        {
            return new LambdaLogger()
            {
                @Override
                public void log(String message)
                {
                    log.println("[" + function + "] " + message);
                }

                @Override
                public void log(byte[] message)
                {
                    log(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
