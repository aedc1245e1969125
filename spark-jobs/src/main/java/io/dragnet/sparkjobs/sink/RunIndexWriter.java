package io.dragnet.sparkjobs.sink;

import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.sparkjobs.internal.AggregateStage;
import io.dragnet.sparkjobs.internal.Columns;
import io.dragnet.sparkjobs.internal.Documents;
import io.dragnet.sparkjobs.internal.ExtractionStages;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/**
 * Writes a job's documents into a fresh run index per topic partition (open and restricted); Publish switches the
 * aliases once every job of the run is done. Each executor bulk-writes its own partition of the documents.
 */
public final class RunIndexWriter
{
    private static final int BULK_SIZE = 500;

    private final DocumentSinkFactory sinks;

    public RunIndexWriter(DocumentSinkFactory sinks)
    {
        this.sinks = requireNonNull(sinks, "sinks is null");
    }

    /** Index name of a topic for this job: the prefix of the spec in place of IndexNames.PREFIX. */
    public static String runIndex(JobSpec spec, String topic)
    {
        String index = IndexNames.runIndex(topic, ExtractionStages.day(spec), spec.runId());
        String prefix = spec.outputs().opensearchIndexPrefix();
        return prefix == null || prefix.equals(IndexNames.PREFIX) ? index : prefix + index.substring(IndexNames.PREFIX.length());
    }

    /** Record documents and aggregate hits (or null) into the run index of their topic's partition; returns documents per index. */
    public Map<String, Long> write(Dataset<Row> documents, Dataset<Row> aggregateHits, JobSpec spec)
    {
        Set<String> topics = new LinkedHashSet<>();
        spec.rules().forEach(rule -> topics.add(rule.topic()));
        Column partitionOf = partitionOf();
        List<Column> body = Documents.COLUMNS.stream().filter(name -> !name.equals(Documents.ID)).map(Columns::field).toList();
        Dataset<Row> json = documents.select(Columns.field(Documents.ID), partitionOf.as("_partition"),
                to_json(struct(body.toArray(Column[]::new)), Documents.JSON_OPTIONS).as("_body"));
        if (aggregateHits != null) {
            json = json.union(aggregateHits.select(Columns.field(Documents.ID), partitionOf.as("_partition"), AggregateStage.indexBody().as("_body")));
        }
        return write(json, topics, partition -> runIndex(spec, partition));
    }

    /** The column naming a document's topic partition: the topic, or its restricted partition when the asset is restricted. */
    public static Column partitionOf()
    {
        return when(Columns.field("asset.criticality").equalTo(lit(IndexNames.RESTRICTED_CRITICALITY)),
                concat(Columns.field("dragnet.topic"), lit(IndexNames.RESTRICTED_SUFFIX))).otherwise(Columns.field("dragnet.topic"));
    }

    /**
     * Documents ({@code _id}, {@code _partition}, {@code _body} JSON) into the run index of their partition, creating
     * both partitions' run indexes of every topic (an existing one is kept); returns documents per index.
     */
    public Map<String, Long> write(Dataset<Row> json, Set<String> topics, Function<String, String> runIndexOfPartition)
    {
        Map<String, String> indexByTopic = new HashMap<>();
        try (DocumentSink sink = sinks.open()) {
            // Both partitions of every topic, so each run replaces the restricted partition's day too.
            for (String topic : topics) {
                for (String partition : IndexNames.partitions(topic)) {
                    String index = runIndexOfPartition.apply(partition);
                    indexByTopic.put(partition, index);
                    sink.createIndex(index);
                }
            }
        }
        DocumentSinkFactory factory = sinks;
        HashMap<String, String> indexes = new HashMap<>(indexByTopic);
        json.foreachPartition((ForeachPartitionFunction<Row>) partition -> {
            Map<String, List<IndexedDocument>> batches = new HashMap<>();
            try (DocumentSink sink = factory.open()) {
                while (partition.hasNext()) {
                    Row row = partition.next();
                    String index = indexes.get(row.getString(1));
                    List<IndexedDocument> batch = batches.computeIfAbsent(index, ignored -> new ArrayList<>());
                    batch.add(new IndexedDocument(row.getString(0), row.getString(2)));
                    if (batch.size() >= BULK_SIZE) {
                        sink.write(index, batch);
                        batch.clear();
                    }
                }
                for (Map.Entry<String, List<IndexedDocument>> batch : batches.entrySet()) {
                    sink.write(batch.getKey(), batch.getValue());
                }
            }
        });
        Map<String, Long> counts = new TreeMap<>();
        for (String index : indexByTopic.values()) {
            counts.put(index, 0L);
        }
        for (Row row : json.groupBy(col("_partition")).count().collectAsList()) {
            counts.put(indexByTopic.get(row.getString(0)), row.getLong(1));
        }
        try (DocumentSink sink = sinks.open()) {
            indexByTopic.values().forEach(sink::refresh);
        }
        return counts;
    }
}
