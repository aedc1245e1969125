package io.dragnet.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a benchmark ran on, for its JSON line: the same code can measure 1.3–1.9× apart on two hosts of the same
 * kind, so a figure without its host cannot be compared with another.
 */
public record BenchmarkHost(int cores, String cpuModel)
{
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    public static BenchmarkHost current()
    {
        List<String> cpuInfo;
        try {
            cpuInfo = Files.isReadable(CPU_INFO) ? Files.readAllLines(CPU_INFO) : List.of();
        }
        catch (IOException e) {
            cpuInfo = List.of();
        }
        return new BenchmarkHost(Runtime.getRuntime().availableProcessors(), cpuModel(cpuInfo, System.getProperty("os.arch")));
    }

    /** The first {@code model name} of /proc/cpuinfo's lines, or {@code fallback} when there is none. */
    static String cpuModel(List<String> cpuInfoLines, String fallback)
    {
        for (String line : cpuInfoLines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String model = line.substring(colon + 1).trim();
                if (!model.isEmpty()) {
                    return model;
                }
            }
        }
        return fallback;
    }

    /** The one-minute load average of /proc/loadavg, or "unknown": the host is shared, so a figure says how busy it was. */
    public static String loadAverage()
    {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[0];
        }
        catch (IOException e) {
            return "unknown";
        }
    }

    /** The JSON fields: cores and cpu_model. */
    public Map<String, Object> toMap()
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", cores);
        map.put("cpu_model", cpuModel);
        return map;
    }
}
