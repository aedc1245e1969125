package io.dragnet.sparkjobs.internal;

import io.dragnet.contracts.Predicate;
import io.dragnet.testing.SparkFixture;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property: random predicates over random records give the same rule ids through {@link RuleMatcher} as through the
 * Spark columns of {@link PredicateColumns}, record by record (mixed case, non-ASCII letters, empty and missing values,
 * overlapping needles, regular expressions with and without literal text every match holds).
 */
@Tag("integration")
class TestRuleMatcherAgainstColumns
{
    private static final Map<String, FieldType> SCHEMA = new LinkedHashMap<>();
    private static final String[] PIECES = {"a", "B", "ab", "/", ".php", "Admin", "admin", "ſ", "K", "é", "x1", " ", ""};
    private static final String[] REGEXES = {"ab+", "^/admin", "admin[0-9]?$", "(?i)php", "b.a", "x1|é", "s", "AB",
            "(?s)^.*/a.\\.php$", "\\badmin", "[a-c]dmi?n", "d?min", "x1{2}", ".*ſ", "(?i)(a)dmin", "Kx{0,1}1", "\\.php$"};

    static {
        SCHEMA.put("uri", FieldType.STRING);
        SCHEMA.put("host", FieldType.IP);
        SCHEMA.put("port", FieldType.LONG);
    }

    @RegisterExtension
    static final SparkFixture.PerClass SPARK = new SparkFixture.PerClass();

    @Test
    void matchesTheColumnsOnEveryRecord()
    {
        Random random = new Random(34_35);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(RowFactory.create(text(random), random.nextInt(6) == 0 ? null : text(random), random.nextInt(5) == 0 ? null : (long) random.nextInt(4)));
        }
        StructType schema = new StructType().add("uri", "string").add("host", "string").add("port", "long");
        Dataset<Row> records = SPARK.session().createDataFrame(rows, schema);
        PredicateColumns columns = new PredicateColumns("test", SCHEMA, Map.of(), Map.of());
        List<RuleMatcher.Rule> rules = new ArrayList<>();
        List<Column> ids = new ArrayList<>();
        for (int r = 0; r < 150; r++) {
            Predicate predicate = predicate(random, 2);
            assertThat(RuleMatcher.supports(predicate, SCHEMA)).isTrue();
            rules.add(new RuleMatcher.Rule("r" + r, predicate));
            ids.add(when(columns.compile("r" + r, predicate), lit("r" + r)).otherwise(lit("")));
        }
        RuleMatcher matcher = new RuleMatcher(rules, SCHEMA);
        Column matched = udf(matcher, org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.StringType, false))
                .apply(struct(matcher.fields().stream().map(Columns::field).toArray(Column[]::new)));
        List<Row> both = records.select(array_remove(array(ids.toArray(Column[]::new)), "").as("columns"), matched.as("matcher")).collectAsList();
        int hits = 0;
        for (int i = 0; i < both.size(); i++) {
            List<String> expected = both.get(i).getList(0);
            hits += expected.size();
            assertThat(both.get(i).<String>getList(1)).as("record %s", rows.get(i)).containsExactlyElementsOf(expected);
        }
        assertThat(hits).as("the rules match some records").isGreaterThan(100);
    }

    private static String text(Random random)
    {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static Predicate predicate(Random random, int depth)
    {
        int choice = random.nextInt(depth == 0 ? 3 : 6);
        return switch (choice) {
            case 0, 1 -> leaf(random);
            case 2 -> new Predicate.FieldMatch(random.nextBoolean() ? "uri" : "port", "exists", random.nextBoolean() ? List.of() : List.of("false"), false, false);
            case 3 -> new Predicate.Not(predicate(random, depth - 1));
            case 4 -> new Predicate.And(List.of(predicate(random, depth - 1), predicate(random, depth - 1)));
            default -> new Predicate.Or(List.of(predicate(random, depth - 1), predicate(random, depth - 1)));
        };
    }

    private static Predicate leaf(Random random)
    {
        if (random.nextInt(5) == 0) {
            return new Predicate.FieldMatch("port", "equals", List.of(String.valueOf(random.nextInt(4)), String.valueOf(random.nextInt(4))), false, false);
        }
        String field = random.nextBoolean() ? "uri" : "host";
        String operator = List.of("equals", "contains", "startswith", "endswith", "regex").get(random.nextInt(5));
        List<String> values = new ArrayList<>();
        for (int v = 0; v <= random.nextInt(2); v++) {
            values.add(operator.equals("regex") ? REGEXES[random.nextInt(REGEXES.length)] : text(random));
        }
        return new Predicate.FieldMatch(field, operator, values, random.nextInt(4) == 0, random.nextInt(3) == 0);
    }

}
