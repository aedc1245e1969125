package io.dragnet.infra;

import io.dragnet.storage.RepositoryPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployables infra-sam/template.yaml names exist after {@code mvn package} and work alone: each function's CodeUri
 * is a zip within Lambda's size limits, holds no Spark, and its handler class (with every class of ours in it) loads in
 * a fresh class loader over the unpacked zip only; the EMR step jars exist under the names the state machine runs.
 */
final class TestArtifacts
{
    private static final Path ROOT = RepositoryPaths.root();
    private static final Path INFRA = ROOT.resolve("infra-sam");
    private static final String VERSION = System.getProperty("dragnet.version");
    // Lambda's limits for a .zip deployment package: 250 MB unzipped always; 50 MB zipped only for a direct upload
    // through the Lambda API. sam deploy uploads packages to S3 (samconfig.toml: resolve_s3), so a zip past 50 MB deploys,
    // and only the functions listed here may be past it (RecordRunCost: Hadoop for the Parquet ledger, the EC2 SDK).
    private static final long MAX_ZIPPED_BYTES = 50L * 1024 * 1024;
    private static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;
    private static final Set<String> DEPLOYED_THROUGH_S3_ONLY = Set.of("RecordRunCostFunction");

    @Test
    void everyFunctionPackageExistsFitsLambdaAndLoadsItsHandlerAlone(@TempDir Path temp)
            throws Exception
    {
        Map<String, Object> resources = map(CloudFormationTemplate.load(INFRA.resolve("template.yaml")).get("Resources"));
        Map<String, String> handlers = new LinkedHashMap<>();
        resources.forEach((name, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                Map<String, Object> properties = map(map(resource).get("Properties"));
                handlers.put(name, properties.get("CodeUri") + " " + properties.get("Handler"));
            }
        });
        assertThat(handlers).hasSizeGreaterThanOrEqualTo(3);
        for (Map.Entry<String, String> function : handlers.entrySet()) {
            String[] codeAndHandler = function.getValue().split(" ");
            Path zip = INFRA.resolve(codeAndHandler[0]).normalize();
            assertThat(zip).as(function.getKey() + " CodeUri (run mvn -B package)").isRegularFile();
            assertThat(zip.getFileName().toString()).as(function.getKey() + ": sam build takes a zip or a folder").endsWith(".zip");
            checkPackage(function.getKey(), zip, codeAndHandler[1], temp.resolve(function.getKey()));
        }
    }

    @Test
    void emrStepJarsExistUnderTheNamesTheStateMachineRuns()
            throws IOException
    {
        assertThat(VERSION).as("surefire passes the project version").isNotBlank();
        Map<String, Object> template = CloudFormationTemplate.load(INFRA.resolve("template.yaml"));
        Map<String, Object> artifactVersion = map(map(template.get("Parameters")).get("ArtifactVersion"));
        assertThat(artifactVersion.get("Default")).as("ArtifactVersion's default is the build's version").isEqualTo(VERSION);
        Map<String, Object> substitutions = map(map(map(map(template.get("Resources")).get("DailyRunStateMachine")).get("Properties"))
                .get("DefinitionSubstitutions"));
        Map<String, String> jars = Map.of("SparkJobsJarUri", "spark-jobs", "NidsJarUri", "nids-realtime");
        Map<String, String> mainClasses = Map.of("SparkJobsJarUri", "io/dragnet/sparkjobs/ExtractionJob.class",
                "NidsJarUri", "io/dragnet/nids/CompactionJob.class");
        for (Map.Entry<String, String> jar : jars.entrySet()) {
            String uri = (String) map(substitutions.get(jar.getKey())).get("Fn::Sub");
            String name = uri.substring(uri.lastIndexOf('/') + 1).replace("${ArtifactVersion}", VERSION);
            assertThat(uri).as(jar.getKey()).startsWith("s3://${WorkBucket}/artifacts/");
            Path built = ROOT.resolve(jar.getValue()).resolve("target").resolve(name);
            assertThat(built).as(jar.getKey() + ": the build's file is named as the state machine runs it").isRegularFile();
            try (ZipFile file = new ZipFile(built.toFile())) {
                assertThat(file.getEntry(mainClasses.get(jar.getKey()))).as(built + " holds its step's main class").isNotNull();
            }
        }
    }

    @Test
    void sizeCheckCatchesAnOversizedPackage(@TempDir Path temp)
            throws IOException
    {
        Path zip = temp.resolve("big.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("lib/spark-core_2.12-3.5.7.jar"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        assertThat(problems(zip)).containsExactly("carries Spark or Scala: lib/spark-core_2.12-3.5.7.jar");
    }

    private static void checkPackage(String function, Path zip, String handler, Path unpacked)
            throws Exception
    {
        if (!DEPLOYED_THROUGH_S3_ONLY.contains(function)) {
            assertThat(Files.size(zip)).as(function + " zipped bytes").isLessThanOrEqualTo(MAX_ZIPPED_BYTES);
        }
        assertThat(problems(zip)).as(function).isEmpty();
        List<String> ownClasses = unpack(zip, unpacked);
        List<URL> classpath = new ArrayList<>();
        classpath.add(unpacked.toUri().toURL());
        try (Stream<Path> lib = Files.list(unpacked.resolve("lib"))) {
            for (Path jar : lib.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                classpath.add(jar.toUri().toURL());
            }
        }
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);
        // Parent: the platform loader (the JDK's modules only), so nothing can come from this test's classpath.
        try (URLClassLoader loader = new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName(className, true, loader);
            assertThat(handlerClass.getClassLoader()).as(function).isSameAs(loader);
            Class<?> requestHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, loader);
            assertThat(requestHandler.isAssignableFrom(handlerClass)).as(function + " implements RequestHandler").isTrue();
            assertThat(Stream.of(handlerClass.getMethods()).map(Method::getName)).as(function).contains(methodName);
            handlerClass.getConstructor();
            for (String own : ownClasses) {
                // Resolving each class's members loads every type its signatures name from the zip alone.
                Class<?> loaded = Class.forName(own, false, loader);
                loaded.getDeclaredMethods();
                loaded.getDeclaredFields();
                loaded.getDeclaredConstructors();
            }
        }
    }

    /** What makes a package unfit for Lambda: over 250 MB unzipped, or Spark/Scala inside. */
    private static List<String> problems(Path zip)
            throws IOException
    {
        List<String> problems = new ArrayList<>();
        long unzipped = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                unzipped += Math.max(entry.getSize(), 0);
                String name = entry.getName();
                if (name.startsWith("lib/spark-") || name.startsWith("lib/scala-")) {
                    problems.add("carries Spark or Scala: " + name);
                }
            }
        }
        if (unzipped > MAX_UNZIPPED_BYTES) {
            problems.add("unzipped " + unzipped + " bytes > " + MAX_UNZIPPED_BYTES);
        }
        return problems;
    }

    /** Unpacks the zip; returns the binary names of the classes at its root (ours; dependencies are under lib/). */
    private static List<String> unpack(Path zip, Path target)
            throws IOException
    {
        List<String> classes = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                assertThat(out.startsWith(target)).as(entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                if (!entry.getName().startsWith("lib/") && entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    classes.add(entry.getName().substring(0, entry.getName().length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        return classes;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value)
    {
        return (Map<String, Object>) value;
    }
}
