package io.dragnet.testing;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The S3 of the tests: S3Proxy over a transient in-memory blob store, bound to 127.0.0.1 on a free port, with an
 * access key and secret made for each start. A test class gets its own, started before its first test and stopped
 * after its last: {@code @RegisterExtension static final LocalS3 S3 = new LocalS3("bucket");}. Tests that use it are
 * tagged {@code integration}.
 */
public final class LocalS3
        implements BeforeAllCallback, AfterAllCallback
{
    private final List<String> buckets;
    private BlobStoreContext store;
    private S3Proxy proxy;
    private S3Client client;
    private String accessKey;
    private String secretKey;

    /** @param buckets created empty at start */
    public LocalS3(String... buckets)
    {
        this.buckets = List.of(buckets);
    }

    @Override
    public void beforeAll(ExtensionContext context)
            throws Exception
    {
        accessKey = "id-" + UUID.randomUUID();
        secretKey = UUID.randomUUID().toString();
        store = ContextBuilder.newBuilder("transient").credentials(accessKey, secretKey).build(BlobStoreContext.class);
        buckets.forEach(bucket -> store.getBlobStore().createContainerInLocation(null, bucket));
        proxy = S3Proxy.builder()
                .blobStore(store.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        if (proxy.getState() != AbstractLifeCycle.STARTED) {
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
    }

    @Override
    public void afterAll(ExtensionContext context)
            throws Exception
    {
        try {
            if (client != null) {
                client.close();
            }
            if (proxy != null) {
                proxy.stop();
            }
        }
        finally {
            if (store != null) {
                store.close();
            }
            client = null;
            proxy = null;
            store = null;
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + started().getPort());
    }

    public StaticCredentialsProvider credentials()
    {
        started();
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** An SDK v2 client of this store (path-style, us-east-1), closed with the store. */
    public S3Client client()
    {
        if (client == null) {
            client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials()).forcePathStyle(true).build();
        }
        return client;
    }

    /** The store behind the server, to put objects without going through HTTP. */
    public BlobStore blobStore()
    {
        started();
        return store.getBlobStore();
    }

    /**
     * Hadoop's S3A settings for this store ({@code fs.s3a.*}; prefix them with {@code spark.hadoop.} for a Spark
     * configuration). No retries: against a server on this machine a failure should fail the test at once.
     */
    public Map<String, String> s3aSettings()
    {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.endpoint", endpoint().toString());
        settings.put("fs.s3a.endpoint.region", "us-east-1");
        settings.put("fs.s3a.path.style.access", "true");
        settings.put("fs.s3a.connection.ssl.enabled", "false");
        settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        settings.put("fs.s3a.access.key", accessKey);
        settings.put("fs.s3a.secret.key", secretKey);
        settings.put("fs.s3a.attempts.maximum", "1");
        settings.put("fs.s3a.retry.limit", "1");
        return settings;
    }

    private S3Proxy started()
    {
        if (proxy == null) {
            throw new IllegalStateException("the local S3 starts before the class's first test");
        }
        return proxy;
    }
}
