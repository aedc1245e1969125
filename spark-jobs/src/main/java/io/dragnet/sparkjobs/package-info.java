/** Runs one job spec over a day of data: read, fused filter, enrich, write OpenSearch, CSV summaries and run metrics. */
package io.dragnet.sparkjobs;
