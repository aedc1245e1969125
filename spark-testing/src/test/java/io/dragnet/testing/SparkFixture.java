package io.dragnet.testing;

import io.dragnet.storage.LocalSparkSettings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The small local SparkSession of Spark tests: few threads, two shuffle partitions, dragnet's local settings
 * ({@link LocalSparkSettings}: UI off, bound to 127.0.0.1, UTC, owner-only files).
 * Tests that start it are tagged {@code integration}.
 */
public final class SparkFixture
{
    private SparkFixture() {}

    public static SparkSession start()
    {
        return start(2);
    }

    /** @param threads task slots: a continuous query holds one per Kafka partition for its whole life */
    public static SparkSession start(int threads)
    {
        SparkSession.Builder builder = SparkSession.builder().config("spark.default.parallelism", "2");
        LocalSparkSettings.of("dragnet-test", "local[" + threads + "]", 2).forEach(builder::config);
        return builder.getOrCreate();
    }

    /**
     * A session of a test class's own, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();}
     */
    public static final class PerClass
            implements BeforeAllCallback, AfterAllCallback
    {
        private final int threads;
        private SparkSession session;

        public PerClass()
        {
            this(2);
        }

        /** @param threads task slots, as {@link SparkFixture#start(int)} */
        public PerClass(int threads)
        {
            this.threads = threads;
        }

        public SparkSession session()
        {
            if (session == null) {
                throw new IllegalStateException("the Spark session starts before the class's first test");
            }
            return session;
        }

        @Override
        public void beforeAll(ExtensionContext context)
        {
            session = start(threads);
        }

        @Override
        public void afterAll(ExtensionContext context)
        {
            session.stop();
            session = null;
        }
    }
}
