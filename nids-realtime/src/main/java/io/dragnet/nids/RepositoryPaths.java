package io.dragnet.nids;

import io.dragnet.contracts.DragnetException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this checkout keeps what the NIDS needs besides DRAGNET_HOME: the broker's classpath built by
 * nids-realtime/kafka-broker, the shared datasets (../shared/datasets) and the samples that stand in for them.
 * The repository root comes from -Ddragnet.repo.root (surefire), $DRAGNET_REPO_ROOT (the ./dragnet launcher) or the
 * nearest parent of the working directory that holds nids-realtime/.
 */
public final class RepositoryPaths
{
    public static final String TRAINING_CSV = "UNSW_NB15_training-set.csv";
    public static final String RAW_CSV = "UNSW-NB15_1_first3000.csv";

    private RepositoryPaths() {}

    public static Path root()
    {
        String property = System.getProperty("dragnet.repo.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        String environment = System.getenv("DRAGNET_REPO_ROOT");
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("nids-realtime"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path brokerLibrary()
    {
        String configured = System.getProperty("dragnet.kafka.lib", System.getenv("DRAGNET_KAFKA_LIB"));
        Path lib = configured != null ? Path.of(configured) : root().resolve("nids-realtime/kafka-broker/target/lib");
        if (!Files.isDirectory(lib)) {
            throw DragnetException.user("Kafka broker classpath " + lib + " is missing: build it with "
                    + "`mvn -B -q -o -pl nids-realtime/kafka-broker package` (or set DRAGNET_KAFKA_LIB)");
        }
        return lib;
    }

    public static Optional<Path> sharedDatasets()
    {
        Path shared = root().resolveSibling("shared").resolve("datasets");
        return Files.isDirectory(shared) ? Optional.of(shared) : Optional.empty();
    }

    /** The partitioned UNSW-NB15 file: the shared full file when present, else the sample slice. */
    public static Path trainingCsv()
    {
        return sharedDatasets().map(shared -> shared.resolve("unsw-nb15").resolve(TRAINING_CSV))
                .filter(Files::exists)
                .orElse(root().resolve("samples/unsw-nb15").resolve(TRAINING_CSV));
    }

    /** The raw 49-column slice: the shared one when present, else the sample. */
    public static Path rawCsv()
    {
        return sharedDatasets().map(shared -> shared.resolve("unsw-nb15-raw").resolve(RAW_CSV))
                .filter(Files::exists)
                .orElse(root().resolve("samples/unsw-nb15").resolve(RAW_CSV));
    }
}
