package io.dragnet.cost.aws;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The AWS clients RecordRunCost may need, each built on first use and then kept for the life of the Lambda container
 * (the embedded binding never builds one). The Price List API is served from us-east-1 whatever the cluster's region.
 */
public final class AwsClients
{
    private final Memo<S3Client> s3;
    private final Memo<EmrClient> emr;
    private final Memo<Ec2Client> ec2;
    private final Memo<PricingClient> pricing;

    public AwsClients(Supplier<S3Client> s3, Supplier<EmrClient> emr, Supplier<Ec2Client> ec2, Supplier<PricingClient> pricing)
    {
        this.s3 = new Memo<>(s3);
        this.emr = new Memo<>(emr);
        this.ec2 = new Memo<>(ec2);
        this.pricing = new Memo<>(pricing);
    }

    /** Region and credentials from the environment (the Lambda runtime's). */
    public static AwsClients fromEnvironment()
    {
        return new AwsClients(S3Client::create, EmrClient::create, Ec2Client::create,
                () -> PricingClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1).build());
    }

    public S3Client s3()
    {
        return s3.get();
    }

    public EmrClient emr()
    {
        return emr.get();
    }

    public Ec2Client ec2()
    {
        return ec2.get();
    }

    public PricingClient pricing()
    {
        return pricing.get();
    }

    private static final class Memo<T>
    {
        private final Supplier<T> factory;
        private T value;

        Memo(Supplier<T> factory)
        {
            this.factory = requireNonNull(factory, "factory is null");
        }

        synchronized T get()
        {
            if (value == null) {
                value = factory.get();
            }
            return value;
        }
    }
}
