package io.dragnet.nids.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time this JVM and one other process (the broker) spent between {@link #start} and {@link #stop}, beside the wall
 * time: per-session CPU is steadier than throughput on a shared 2-core machine and says where the budget goes.
 */
public final class CpuMeter
{
    private final long otherPid;
    private long startNanos;
    private long startOwn;
    private long startOther;

    public CpuMeter(long otherPid)
    {
        this.otherPid = otherPid;
    }

    /** CPU of this JVM and the other process over a wall time, in nanoseconds; the other is -1 when unknown. */
    public record Usage(long wallNanos, long ownCpuNanos, long otherCpuNanos)
    {
        public double cores()
        {
            return (ownCpuNanos + Math.max(0, otherCpuNanos)) / (double) Math.max(1, wallNanos);
        }

        public double ownMicrosPerSession(long sessions)
        {
            return ownCpuNanos / 1000.0 / Math.max(1, sessions);
        }

        /** Null when the other process's CPU time is unknown. */
        public Double otherMicrosPerSession(long sessions)
        {
            return otherCpuNanos < 0 ? null : otherCpuNanos / 1000.0 / Math.max(1, sessions);
        }

        public Map<String, Object> perSession(long sessions)
        {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("streaming_jvm_cpu_us_per_session", ownMicrosPerSession(sessions));
            map.put("broker_cpu_us_per_session", otherMicrosPerSession(sessions));
            map.put("cores_busy", cores());
            return map;
        }
    }

    public void start()
    {
        startNanos = System.nanoTime();
        startOwn = ownCpuNanos();
        startOther = otherCpuNanos();
    }

    public Usage stop()
    {
        long wall = System.nanoTime() - startNanos;
        long own = ownCpuNanos() - startOwn;
        long other = otherCpuNanos();
        return new Usage(wall, own, other >= 0 && startOther >= 0 ? other - startOther : -1);
    }

    private static long ownCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** -1 when the process is gone or does not tell. */
    private long otherCpuNanos()
    {
        return ProcessHandle.of(otherPid)
                .flatMap(process -> process.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(-1L);
    }
}
