package io.dragnet.nids.data;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Derives replayable sensor sessions from labelled UNSW-NB15 rows, deterministically for a seed: each derived session
 * copies the per-flow measures, proto, service and state of a row drawn at random (so the measure distributions are the
 * dataset's), and gets fresh identity in the shape of the UNSW testbed: normal traffic between 59.166.0.0/24 hosts and
 * 149.171.126.0-9, attacks from 175.45.176.0-3 to 149.171.126.10-19; an ephemeral source port; the destination port of
 * the service (a random registered port for "-"); start times spread evenly over the day with jitter, end = start + dur.
 * The truth of each session is kept beside it for checking verdicts, never sent.
 */
public final class SessionSynthesizer
{
    private static final Map<String, Integer> SERVICE_PORTS = Map.ofEntries(
            Map.entry("http", 80), Map.entry("ftp", 21), Map.entry("ftp-data", 20), Map.entry("smtp", 25), Map.entry("ssh", 22),
            Map.entry("dns", 53), Map.entry("pop3", 110), Map.entry("snmp", 161), Map.entry("ssl", 443), Map.entry("irc", 6667),
            Map.entry("dhcp", 67), Map.entry("radius", 1812));
    private static final long DAY_MS = 86_400_000L;

    private SessionSynthesizer() {}

    public record Derived(SensorSession session, int label, String attackCategory) {}

    public static List<Derived> derive(List<UnswRow> rows, int count, LocalDate day, long seed)
    {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no UNSW-NB15 rows to derive sessions from");
        }
        Random random = new Random(seed);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long spacing = Math.max(1, DAY_MS / Math.max(1, count));
        List<Derived> derived = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UnswRow row = rows.get(random.nextInt(rows.size()));
            SensorSession template = row.session();
            boolean attack = row.label() == 1;
            String srcIp = attack ? "175.45.176." + random.nextInt(4) : "59.166.0." + random.nextInt(10);
            String dstIp = "149.171.126." + (attack ? 10 + random.nextInt(10) : random.nextInt(10));
            int srcPort = 1024 + random.nextInt(64_511);
            int dstPort = SERVICE_PORTS.getOrDefault(template.service(), 1 + random.nextInt(49_151));
            if (row.sameIpsAndPorts() == 1) {
                dstIp = srcIp;
                dstPort = srcPort;
            }
            long start = Math.min(dayStart + DAY_MS - 1, dayStart + i * spacing + (long) (random.nextDouble() * spacing));
            double dur = template.measure(0);
            long end = start + (long) Math.ceil(dur * 1000);
            String sessionId = day + "-" + seed + "-" + i;
            SensorSession session = new SensorSession(sessionId, srcIp, srcPort, dstIp, dstPort, template.proto(), template.service(),
                    template.state(), start, end, template.measures().clone());
            derived.add(new Derived(session, row.label(), row.attackCategory()));
        }
        return derived;
    }
}
