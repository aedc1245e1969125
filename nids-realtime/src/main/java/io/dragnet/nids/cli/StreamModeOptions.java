package io.dragnet.nids.cli;

import io.dragnet.contracts.DragnetException;
import io.dragnet.nids.stream.LowLatencyVerdictStream;
import io.dragnet.nids.stream.StreamMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options {@code dragnet nids stream} and {@code bench} share: which form of the streaming job, its partitions and,
 * in low-latency mode, who writes the lake.
 */
public final class StreamModeOptions
{
    @Option(names = "--mode", defaultValue = "LOW_LATENCY",
            description = "LOW_LATENCY (continuous scoring per partition to 'verdicts' and Parquet) or MICRO_BATCH (one micro-batch query) (default ${DEFAULT-VALUE}).")
    private StreamMode mode;

    @Option(names = "--partitions", defaultValue = "4",
            description = "In LOW_LATENCY mode, partitions of the topics, one scoring task each; topics are grown to it (default ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--lake", defaultValue = "scorer", converter = LakeModeConverter.class,
            description = "In LOW_LATENCY mode, who writes Parquet: scorer (each scoring task, every epoch) or topic (a micro-batch query reading the verdicts topic back) (default ${DEFAULT-VALUE}).")
    private LowLatencyVerdictStream.LakeMode lake;

    public StreamMode mode()
    {
        return mode;
    }

    public int partitions()
    {
        if (partitions < 1) {
            throw DragnetException.user("--partitions must be at least 1, got " + partitions);
        }
        return partitions;
    }

    public LowLatencyVerdictStream.LakeMode lake()
    {
        return lake;
    }

    static final class LakeModeConverter
            implements picocli.CommandLine.ITypeConverter<LowLatencyVerdictStream.LakeMode>
    {
        @Override
        public LowLatencyVerdictStream.LakeMode convert(String value)
        {
            return enumValue(LowLatencyVerdictStream.LakeMode.class, value);
        }
    }

    /** The constant named {@code value}, any case; else an error listing the names in lower case. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String value)
    {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
        throw new TypeConversionException(Choices.expected(names, value));
    }
}
