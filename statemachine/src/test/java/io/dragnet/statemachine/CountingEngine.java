package io.dragnet.statemachine;

import io.dragnet.statemachine.local.ClusterEngine;

/** A cluster engine that only counts: lets workflow tests check start/stop pairing without starting Spark. */
final class CountingEngine
        implements ClusterEngine
{
    int starts;
    int stops;
    boolean running;

    @Override
    public synchronized void start()
    {
        starts++;
        running = true;
    }

    @Override
    public synchronized void stop()
    {
        stops++;
        running = false;
    }
}
