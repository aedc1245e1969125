package io.dragnet.cost.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.Json;
import io.dragnet.cost.PriceTable;
import io.dragnet.cost.SpotPrice;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Prices from AWS itself: on-demand Linux and EMR rates and the EBS rate of each volume type asked for from the Price List API (GetProducts,
 * one query per instance type, reading {@code terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD}), and the spot price
 * history of the cluster's zone from EC2 DescribeSpotPriceHistory for the cluster's lifetime.
 */
public final class AwsPriceSource
{
    private final PricingClient pricing;
    private final Ec2Client ec2;

    public AwsPriceSource(PricingClient pricing, Ec2Client ec2)
    {
        this.pricing = requireNonNull(pricing, "pricing is null");
        this.ec2 = requireNonNull(ec2, "ec2 is null");
    }

    /**
     * @param volumeTypes EBS volume types (API names) the cluster's instances carry, root volumes included
     * @param availabilityZone the cluster's zone, or null for every zone of the region
     */
    public PriceTable priceTable(String region, Collection<String> instanceTypes, Collection<String> volumeTypes, String availabilityZone, Instant from, Instant to)
    {
        Map<String, BigDecimal> onDemand = new HashMap<>();
        Map<String, BigDecimal> emr = new HashMap<>();
        for (String instanceType : new TreeSet<>(instanceTypes)) {
            onDemand.put(instanceType, onDemandRate("AmazonEC2", List.of(
                    filter("regionCode", region), filter("instanceType", instanceType), filter("operatingSystem", "Linux"),
                    filter("tenancy", "Shared"), filter("preInstalledSw", "NA"), filter("capacitystatus", "Used")), "Hrs", instanceType));
            emr.put(instanceType, onDemandRate("ElasticMapReduce", List.of(
                    filter("regionCode", region), filter("instanceType", instanceType), filter("softwareType", "EMR")), "Hrs", instanceType));
        }
        Map<String, BigDecimal> ebs = new HashMap<>();
        for (String volumeType : new TreeSet<>(volumeTypes)) {
            ebs.put(volumeType, onDemandRate("AmazonEC2", List.of(filter("regionCode", region), filter("productFamily", "Storage"),
                    filter("volumeApiName", volumeType)), "GB-Mo", "EBS " + volumeType));
        }
        return new PriceTable(region, "AWS Price List API and EC2 spot price history (" + region + ")", onDemand, emr,
                spotHistory(instanceTypes, availabilityZone, from, to), ebs);
    }

    List<SpotPrice> spotHistory(Collection<String> instanceTypes, String availabilityZone, Instant from, Instant to)
    {
        try {
            List<SpotPrice> prices = new ArrayList<>();
            for (software.amazon.awssdk.services.ec2.model.SpotPrice price : ec2.describeSpotPriceHistoryPaginator(request -> request
                            .instanceTypesWithStrings(new TreeSet<>(instanceTypes))
                            .productDescriptions("Linux/UNIX")
                            .availabilityZone(availabilityZone)
                            .startTime(from)
                            .endTime(to))
                    .spotPriceHistory()) {
                prices.add(new SpotPrice(price.instanceTypeAsString(), price.availabilityZone(), new BigDecimal(price.spotPrice()), price.timestamp()));
            }
            return prices;
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read the EC2 spot price history: " + e.getMessage(), e);
        }
    }

    private BigDecimal onDemandRate(String serviceCode, List<Filter> filters, String unit, String what)
    {
        List<String> products = new ArrayList<>();
        try {
            pricing.getProductsPaginator(request -> request.serviceCode(serviceCode).filters(filters).formatVersion("aws_v1"))
                    .priceList().forEach(products::add);
        }
        catch (SdkException e) {
            throw DragnetException.external("cannot read " + serviceCode + " prices for " + what + " from the Price List API: " + e.getMessage(), e);
        }
        BigDecimal rate = null;
        for (String product : products) {
            JsonNode node;
            try {
                node = Json.mapper().readTree(product);
            }
            catch (IOException e) {
                throw DragnetException.external("Price List API returned a product that is not JSON for " + what, e);
            }
            for (JsonNode term : iterable(node.path("terms").path("OnDemand"))) {
                for (JsonNode dimension : iterable(term.path("priceDimensions"))) {
                    if (!unit.equals(dimension.path("unit").asText())) {
                        continue;
                    }
                    BigDecimal price = new BigDecimal(dimension.path("pricePerUnit").path("USD").asText("0"));
                    if (price.signum() > 0 && (rate == null || price.compareTo(rate) > 0)) {
                        rate = price;
                    }
                }
            }
        }
        if (rate == null) {
            throw DragnetException.external("the Price List API has no " + serviceCode + " on-demand rate in " + unit + " for " + what + " (filters " + filters + ")", null);
        }
        return rate;
    }

    private static Iterable<JsonNode> iterable(JsonNode node)
    {
        List<JsonNode> values = new ArrayList<>();
        node.elements().forEachRemaining(values::add);
        return values;
    }

    private static Filter filter(String field, String value)
    {
        return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
    }
}
