package io.dragnet.statemachine.local;

/** What runs a local "cluster"'s steps: started when the cluster is created, stopped when it is terminated. */
public interface ClusterEngine
{
    void start();

    void stop();

    /** No engine at all: steps run their main class in-process with nothing started (for step classes that need no Spark). */
    static ClusterEngine none()
    {
        return new ClusterEngine()
        {
            @Override
            public void start() {}

            @Override
            public void stop() {}
        };
    }
}
