package io.dragnet.sparkjobs.internal;

import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.ObjectHashSet;
import org.apache.spark.unsafe.types.UTF8String;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The running value of one aggregate measure over the records of one (group, window), fed in time order. Results
 * follow SQL: {@code count} and {@code count_distinct} of no records are 0, every other measure of no values is null.
 * Times count as seconds since the epoch. Memory is constant per group except where the measure needs the values
 * themselves (count_distinct, percentile, interval_cv), which hold one entry per contributing record at most.
 */
public abstract class MeasureAccumulator
{
    /** @param value the measure's field in this record (ignored by count), may be null */
    public abstract void add(Object value, double epochSeconds);

    /** Adds a whole-number value (a long, int, short or byte column) as {@link #add} adds it boxed. */
    public void addWhole(long value, double epochSeconds)
    {
        add(value, epochSeconds);
    }

    /** Adds a double value as {@link #add} adds it boxed. */
    public void addFraction(double value, double epochSeconds)
    {
        add(value, epochSeconds);
    }

    /** Adds a text as Spark holds it, which may be a view of a reused buffer: an accumulator that keeps it keeps a copy. */
    public void addText(UTF8String value, double epochSeconds)
    {
        addText(value, value::copy, epochSeconds);
    }

    /**
     * Adds a text as {@link #addText(UTF8String, double)} does; {@code kept} gives an equal text that outlives the
     * buffer, which an accumulator that keeps the value keeps instead of copying it itself (the caller may hand out one
     * copy to every accumulator and group that keeps the same value).
     */
    public void addText(UTF8String value, Supplier<UTF8String> kept, double epochSeconds)
    {
        add(value.toString(), epochSeconds);
    }

    public abstract Double result();

    /** Forgets every value added: the accumulator is as new, to be reused for another (group, window). */
    public abstract void clear();

    /** What makes fresh accumulators of a measure function of the job spec ({@code count}, {@code sum}, ...), resolved once rather than per (group, window). */
    public static Supplier<MeasureAccumulator> factory(String function, Double parameter)
    {
        return switch (function) {
            case "count" -> Count::new;
            case "count_distinct" -> CountDistinct::new;
            case "sum" -> Sum::new;
            case "min" -> () -> new Extreme(true);
            case "max" -> () -> new Extreme(false);
            case "avg" -> () -> new Moments(false);
            case "stddev" -> () -> new Moments(true);
            case "percentile" -> () -> new Percentile(parameter);
            case "interval_cv" -> Intervals::new;
            case "entropy" -> MeanEntropy::new;
            // the records a count_new counts are those whose value no earlier day held (its condition column says so)
            case "count_new" -> CountDistinct::new;
            // the group's figure over earlier days, the same on every record of the group (joined in before)
            case "history_avg", "history_max" -> GroupConstant::new;
            case NO_VALUE -> NoValue::new;
            default -> throw new IllegalArgumentException("measure function '" + function + "' is not computed per window");
        };
    }

    /** A measure that has no value in this run, such as a history measure when no earlier day was recorded. */
    public static final String NO_VALUE = "no_value";

    /** A number, time or numeric text as a double; null when the value is none of those. */
    static Double number(Object value)
    {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return Math.floorDiv(timestamp.getTime(), 1000L) + timestamp.getNanos() / 1e9;
        }
        if (value instanceof Instant instant) {
            return instant.getEpochSecond() + instant.getNano() / 1e9;
        }
        return null;
    }

    private static final class Count
            extends MeasureAccumulator
    {
        private long count;

        @Override
        public void add(Object value, double epochSeconds)
        {
            count++;
        }

        @Override
        public Double result()
        {
            return (double) count;
        }

        @Override
        public void clear()
        {
            count = 0;
        }
    }

    /**
     * The distinct values, a few in an array searched in turn (most windows have few), more in an open-addressing hash
     * set that makes no node per value; whole numbers are kept unboxed, apart from the other values (a boxed long
     * added as a value counts as the whole number it holds).
     */
    private static final class CountDistinct
            extends MeasureAccumulator
    {
        private static final int LISTED = 8;
        private Object[] few = new Object[2];
        private int size;
        private ObjectHashSet<Object> many;
        private long[] fewWholes = new long[2];
        private int wholes;
        private LongHashSet manyWholes;

        @Override
        public void add(Object value, double epochSeconds)
        {
            if (value instanceof Long whole) {
                addWhole(whole, epochSeconds);
            }
            else if (value != null && !contains(value)) {
                store(value);
            }
        }

        @Override
        public void addWhole(long value, double epochSeconds)
        {
            if (manyWholes != null) {
                manyWholes.add(value);
                return;
            }
            for (int i = 0; i < wholes; i++) {
                if (fewWholes[i] == value) {
                    return;
                }
            }
            if (wholes < LISTED) {
                if (wholes == fewWholes.length) {
                    fewWholes = Arrays.copyOf(fewWholes, LISTED);
                }
                fewWholes[wholes++] = value;
                return;
            }
            manyWholes = new LongHashSet(LISTED * 2);
            for (int i = 0; i < wholes; i++) {
                manyWholes.add(fewWholes[i]);
            }
            manyWholes.add(value);
        }

        /** Texts are kept as UTF-8 bytes: equal bytes are equal texts. */
        @Override
        public void addText(UTF8String value, Supplier<UTF8String> kept, double epochSeconds)
        {
            if (!contains(value)) {
                store(kept.get());
            }
        }

        private boolean contains(Object value)
        {
            if (many != null) {
                return many.contains(value);
            }
            for (int i = 0; i < size; i++) {
                if (few[i].equals(value)) {
                    return true;
                }
            }
            return false;
        }

        private void store(Object value)
        {
            if (many == null && size < LISTED) {
                if (size == few.length) {
                    few = Arrays.copyOf(few, LISTED);
                }
                few[size++] = value;
                return;
            }
            if (many == null) {
                many = new ObjectHashSet<>(LISTED * 2);
                for (int i = 0; i < size; i++) {
                    many.add(few[i]);
                }
            }
            many.add(value);
        }

        @Override
        public Double result()
        {
            return (double) ((many != null ? many.size() : size) + (manyWholes != null ? manyWholes.size() : wholes));
        }

        @Override
        public void clear()
        {
            Arrays.fill(few, 0, size, null);
            size = 0;
            many = null;
            wholes = 0;
            manyWholes = null;
        }
    }

    /** Whole numbers are summed exactly, as SQL sums a long column. */
    private static final class Sum
            extends MeasureAccumulator
    {
        private long whole;
        private double fraction;
        private boolean any;

        @Override
        public void add(Object value, double epochSeconds)
        {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                whole += ((Number) value).longValue();
                any = true;
            }
            else {
                Double number = number(value);
                if (number != null) {
                    fraction += number;
                    any = true;
                }
            }
        }

        @Override
        public void addWhole(long value, double epochSeconds)
        {
            whole += value;
            any = true;
        }

        @Override
        public void addFraction(double value, double epochSeconds)
        {
            fraction += value;
            any = true;
        }

        @Override
        public Double result()
        {
            return any ? whole + fraction : null;
        }

        @Override
        public void clear()
        {
            whole = 0;
            fraction = 0;
            any = false;
        }
    }

    /** A measure over numbers: every value it counts, whole or boxed, reaches it as a double ({@link #addFraction}). */
    private abstract static class OfNumbers
            extends MeasureAccumulator
    {
        @Override
        public final void add(Object value, double epochSeconds)
        {
            Double number = number(value);
            if (number != null) {
                addFraction(number, epochSeconds);
            }
        }

        @Override
        public final void addWhole(long value, double epochSeconds)
        {
            addFraction((double) value, epochSeconds);
        }

        @Override
        public abstract void addFraction(double value, double epochSeconds);
    }

    private static final class Extreme
            extends OfNumbers
    {
        private final boolean smallest;
        private double best;
        private boolean any;

        Extreme(boolean smallest)
        {
            this.smallest = smallest;
        }

        @Override
        public void addFraction(double value, double epochSeconds)
        {
            if (!any || (smallest ? value < best : value > best)) {
                best = value;
                any = true;
            }
        }

        @Override
        public Double result()
        {
            return any ? best : null;
        }

        @Override
        public void clear()
        {
            best = 0;
            any = false;
        }
    }

    /** Mean, or the sample standard deviation (n - 1), by Welford's update. */
    private static final class Moments
            extends OfNumbers
    {
        private final boolean deviation;
        private long count;
        private double mean;
        private double squares;

        Moments(boolean deviation)
        {
            this.deviation = deviation;
        }

        @Override
        public void addFraction(double value, double epochSeconds)
        {
            count++;
            double delta = value - mean;
            mean += delta / count;
            squares += delta * (value - mean);
        }

        @Override
        public Double result()
        {
            if (!deviation) {
                return count == 0 ? null : mean;
            }
            return count < 2 ? null : Math.sqrt(squares / (count - 1));
        }

        @Override
        public void clear()
        {
            count = 0;
            mean = 0;
            squares = 0;
        }
    }

    /** The nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
    private static final class Percentile
            extends OfNumbers
    {
        private final double percent;
        private double[] values = new double[8];
        private int size;

        Percentile(Double percent)
        {
            this.percent = percent;
        }

        @Override
        public void addFraction(double value, double epochSeconds)
        {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        @Override
        public Double result()
        {
            if (size == 0) {
                return null;
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percent / 100.0 * size);
            return sorted[Math.max(rank, 1) - 1];
        }

        @Override
        public void clear()
        {
            size = 0;
        }
    }

    /** The mean character entropy ({@link CharacterEntropy}) of the non-null text values. */
    private static final class MeanEntropy
            extends MeasureAccumulator
    {
        private final Moments mean = new Moments(false);

        @Override
        public void add(Object value, double epochSeconds)
        {
            if (value != null) {
                mean.addFraction(CharacterEntropy.of(value.toString()), epochSeconds);
            }
        }

        @Override
        public Double result()
        {
            return mean.result();
        }

        @Override
        public void clear()
        {
            mean.clear();
        }
    }

    private static final class GroupConstant
            extends MeasureAccumulator
    {
        private Double value;

        @Override
        public void add(Object value, double epochSeconds)
        {
            if (this.value == null) {
                this.value = number(value);
            }
        }

        @Override
        public void addFraction(double value, double epochSeconds)
        {
            if (this.value == null) {
                this.value = value;
            }
        }

        @Override
        public Double result()
        {
            return value;
        }

        @Override
        public void clear()
        {
            value = null;
        }
    }

    private static final class NoValue
            extends MeasureAccumulator
    {
        @Override
        public void add(Object value, double epochSeconds) {}

        @Override
        public Double result()
        {
            return null;
        }

        @Override
        public void clear() {}
    }

    private static final class Intervals
            extends MeasureAccumulator
    {
        private double[] times = new double[8];
        private int size;

        @Override
        public void add(Object value, double epochSeconds)
        {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = epochSeconds;
        }

        @Override
        public Double result()
        {
            return IntervalCv.of(Arrays.copyOf(times, size));
        }

        @Override
        public void clear()
        {
            size = 0;
        }
    }
}
