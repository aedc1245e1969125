package io.dragnet.statemachine.local;

import io.dragnet.contracts.DragnetException;
import io.dragnet.storage.LocalSparkSettings;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * One shared local SparkSession standing in for the EMR cluster: {@code local[*]} with dragnet's local settings
 * ({@link LocalSparkSettings}). Built by reflection so that this module does not compile against Spark; steps that call
 * {@code SparkSession.builder().getOrCreate()} get this session back.
 */
public final class SparkEngine
        implements ClusterEngine
{
    private final Map<String, String> settings;
    private Object session;

    public SparkEngine(String master)
    {
        this.settings = LocalSparkSettings.of("dragnet-daily-local-cluster", master, 4);
    }

    public SparkEngine()
    {
        this(System.getProperty("dragnet.spark.master", "local[*]"));
    }

    @Override
    public synchronized void start()
    {
        if (session != null) {
            return;
        }
        try {
            Class<?> sessionClass = Class.forName("org.apache.spark.sql.SparkSession", true, Thread.currentThread().getContextClassLoader());
            Object builder = sessionClass.getMethod("builder").invoke(null);
            Method config = builder.getClass().getMethod("config", String.class, String.class);
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                config.invoke(builder, setting.getKey(), setting.getValue());
            }
            session = builder.getClass().getMethod("getOrCreate").invoke(builder);
        }
        catch (ClassNotFoundException e) {
            throw DragnetException.user("the local EMR cluster needs Spark on the classpath (org.apache.spark:spark-sql_2.12); run it through ./dragnet");
        }
        catch (InvocationTargetException e) {
            throw DragnetException.external("the local Spark session did not start: " + e.getCause(), e.getCause());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unexpected SparkSession API", e);
        }
    }

    @Override
    public synchronized void stop()
    {
        if (session == null) {
            return;
        }
        try {
            session.getClass().getMethod("stop").invoke(session);
            Class<?> sessionClass = session.getClass();
            sessionClass.getMethod("clearActiveSession").invoke(null);
            sessionClass.getMethod("clearDefaultSession").invoke(null);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot stop the local Spark session", e);
        }
        finally {
            session = null;
        }
    }

    public synchronized boolean running()
    {
        return session != null;
    }
}
