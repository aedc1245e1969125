package io.dragnet.nids.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.storage.FileTrees;
import io.dragnet.storage.OwnerOnly;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Versioned models on disk: {@code <models>/nids/<version>/} holds {@code model.json} (feature list, encodings,
 * categories, metrics, parameters) and the two compiled forests; {@code <models>/nids/LATEST} names the current one.
 * A version directory is written under a temporary name and renamed into place; folders are 0700 and files 0600, as
 * for everything a local run writes.
 */
public final class NidsModelStore
{
    private static final String MANIFEST = "model.json";
    private static final String BINARY = "binary.forest";
    private static final String CATEGORY = "category.forest";

    private final Path root;

    public NidsModelStore(Path modelsDirectory)
    {
        this.root = requireNonNull(modelsDirectory, "modelsDirectory is null").resolve("nids");
    }

    public record Manifest(
            @JsonProperty("version") String version,
            @JsonProperty("algorithm") String algorithm,
            @JsonProperty("features") List<String> features,
            @JsonProperty("proto_ranks") Map<String, Integer> protoRanks,
            @JsonProperty("service_ranks") Map<String, Integer> serviceRanks,
            @JsonProperty("state_ranks") Map<String, Integer> stateRanks,
            @JsonProperty("categories") List<String> categories,
            @JsonProperty("parameters") Map<String, Object> parameters,
            @JsonProperty("metrics") Map<String, Object> metrics) {}

    public Path directory(String version)
    {
        return root.resolve(version);
    }

    public synchronized String nextVersion()
    {
        int highest = 0;
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                highest = entries.map(path -> path.getFileName().toString())
                        .filter(name -> name.matches("v\\d+"))
                        .mapToInt(name -> Integer.parseInt(name.substring(1)))
                        .max().orElse(0);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "v" + (highest + 1);
    }

    public Path save(NidsModel model, Map<String, Object> parameters)
    {
        Path target = directory(model.version());
        Path temp = root.resolve("." + model.version() + ".tmp");
        try {
            FileTrees.deleteRecursively(temp);
            OwnerOnly.createDirectories(temp);
            Manifest manifest = new Manifest(model.version(), "random-forest (Spark MLlib " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + "), compiled to arrays",
                    model.features().featureSet().names(), model.features().protoRanks(), model.features().serviceRanks(), model.features().stateRanks(),
                    model.categories(), parameters, model.metrics());
            OwnerOnly.writeAtomically(temp.resolve(MANIFEST), Json.write(manifest));
            writeForest(temp.resolve(BINARY), model.binary());
            writeForest(temp.resolve(CATEGORY), model.category());
            FileTrees.deleteRecursively(target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            OwnerOnly.writeAtomically(root.resolve("LATEST"), model.version());
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + target + ": " + e.getMessage(), e);
        }
    }

    public Optional<NidsModel> latest()
    {
        Path latest = root.resolve("LATEST");
        if (!Files.exists(latest)) {
            return Optional.empty();
        }
        try {
            return Optional.of(load(Files.readString(latest).trim()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NidsModel load(String version)
    {
        Path directory = directory(version);
        if (!Files.isDirectory(directory)) {
            throw DragnetException.user("no NIDS model " + version + " under " + root);
        }
        Manifest manifest = Json.read(directory.resolve(MANIFEST), Manifest.class);
        FeatureSet featureSet = FeatureSet.withNames(manifest.features()).orElseThrow(() -> DragnetException.user(directory.resolve(MANIFEST)
                + ": model features " + manifest.features() + " are none of this build's feature sets: "
                + Arrays.stream(FeatureSet.values()).map(set -> set.label() + " " + set.names()).toList()));
        return new NidsModel(manifest.version(),
                new ModelFeatures(featureSet, manifest.protoRanks(), manifest.serviceRanks(), manifest.stateRanks()),
                readForest(directory.resolve(BINARY)), readForest(directory.resolve(CATEGORY)), manifest.categories(), manifest.metrics());
    }

    private static void writeForest(Path file, CompiledForest forest)
            throws IOException
    {
        Files.createFile(file, OwnerOnly.fileAttribute());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            forest.write(out);
        }
    }

    private static CompiledForest readForest(Path file)
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return CompiledForest.read(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
