package io.dragnet.sparkjobs.internal;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.Expand;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;

import java.util.ArrayList;
import java.util.List;

import static scala.collection.JavaConverters.asScalaBuffer;
import static scala.collection.JavaConverters.seqAsJavaList;

/**
 * Each row of a dataset once per branch, as Spark's Expand operator (the one behind grouping sets) makes them: one
 * generated projection per branch into plain columns. The public way, {@code inline(array(struct(...), ...))}, builds
 * an array of boxed structs per row and reads it back; Expand writes the branch's values straight into the output row.
 */
final class Expansion
{
    private Expansion() {}

    /**
     * @param branches the columns of each branch, every one named ({@link Column#as}); all branches name the same
     *         columns, in the same order and of the same types (nullability aside)
     */
    static Dataset<Row> of(Dataset<Row> rows, List<List<Column>> branches)
    {
        List<scala.collection.Seq<Expression>> projections = new ArrayList<>();
        List<Attribute> output = new ArrayList<>();
        for (List<Column> branch : branches) {
            // the analyzer resolves the branch's columns against the rows, as for a select
            Project resolved = (Project) rows.select(branch.toArray(Column[]::new)).queryExecution().analyzed();
            List<NamedExpression> named = seqAsJavaList(resolved.projectList());
            if (!output.isEmpty() && named.size() != output.size()) {
                throw new IllegalArgumentException("a branch of " + named.size() + " columns among branches of " + output.size());
            }
            List<Expression> projection = new ArrayList<>();
            for (int c = 0; c < named.size(); c++) {
                Expression column = (Expression) named.get(c);
                String name = named.get(c).name();
                if (output.size() == c) {
                    output.add(new AttributeReference(name, column.dataType().asNullable(), true, Metadata.empty(), NamedExpression.newExprId(),
                            asScalaBuffer(List.<String>of()).toList()));
                }
                else if (!name.equals(output.get(c).name()) || !DataType.equalsIgnoreNullability(column.dataType(), output.get(c).dataType())) {
                    throw new IllegalArgumentException("branch column " + name + " " + column.dataType().simpleString() + " does not match "
                            + output.get(c).name() + " " + output.get(c).dataType().simpleString());
                }
                projection.add(column instanceof Alias alias ? alias.child() : column);
            }
            projections.add(asScalaBuffer(projection).toList());
        }
        Expand expand = new Expand(asScalaBuffer(projections).toList(), asScalaBuffer(output).toList(), rows.queryExecution().analyzed());
        return Dataset.ofRows(rows.sparkSession(), expand);
    }
}
