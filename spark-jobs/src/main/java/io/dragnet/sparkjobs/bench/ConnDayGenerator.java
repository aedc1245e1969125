package io.dragnet.sparkjobs.bench;

import io.dragnet.contracts.IocEntry;
import io.dragnet.contracts.IocTableFile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a synthetic day of Zeek conn.log rows (the real #fields/#types of the sample capture) and an IoC table.
 * Deterministic for a seed. A small share of rows hit the benchmark rules: port 449, feed addresses, feed networks.
 */
public final class ConnDayGenerator
{
    static final String HEADER = String.join("\n",
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#open\t2018-11-02-00-00-00",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto",
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount") + "\n";
    private static final List<String> SERVICES = List.of("-", "dns", "http", "ssl", "krb_tcp", "smb", "-", "ssl");
    private static final List<String> STATES = List.of("SF", "S0", "RSTR", "REJ", "SH", "OTH", "SF", "SF");
    private static final List<String> HISTORIES = List.of("ShADadFf", "S", "ShADdFar", "Dd", "ShR", "ShADadfF");
    private static final long DAY_START = 1541116800L;

    private ConnDayGenerator() {}

    /** IoC addresses: public-looking IPv4 addresses, distinct. */
    public static List<String> iocAddresses(int count, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        java.util.LinkedHashSet<String> addresses = new java.util.LinkedHashSet<>();
        while (addresses.size() < count) {
            addresses.add((20 + random.nextInt(180)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
        }
        return List.copyOf(addresses);
    }

    public static void writeIocs(Path file, List<String> values)
    {
        try {
            Files.write(file, IocTableFile.write(values.stream().map(value -> new IocEntry(value, "bench-feed", 70.0, "2018-10-01", "generated")).toList()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code records} rows of 2018-11-02 spread over {@code files} files in {@code directory}; returns bytes written. */
    static long writeDay(Path directory, long records, int files, List<String> iocs, long seed)
    {
        return writeDay(directory, java.time.LocalDate.ofEpochDay(DAY_START / 86_400), records, files, iocs, seed);
    }

    /** Writes {@code records} rows of {@code day} (UTC) spread over {@code files} files in {@code directory}; returns bytes written. */
    public static long writeDay(Path directory, java.time.LocalDate day, long records, int files, List<String> iocs, long seed)
    {
        long dayStart = day.toEpochDay() * 86_400;
        long bytes = 0;
        try {
            Files.createDirectories(directory);
            long perFile = (records + files - 1) / files;
            long written = 0;
            for (int f = 0; f < files && written < records; f++) {
                Path file = directory.resolve(String.format("conn.%02d.log", f));
                long rows = Math.min(perFile, records - written);
                SplittableRandom random = new SplittableRandom(seed * 31 + f);
                StringBuilder line = new StringBuilder(256);
                try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    out.write(HEADER);
                    for (long i = 0; i < rows; i++) {
                        line.setLength(0);
                        long index = written + i;
                        long micros = (index * 86_400_000_000L) / records;
                        line.append(dayStart + micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000)).append('\t');
                        line.append('C').append(Long.toString(seed * 1_000_003L + index, 36)).append('\t');
                        line.append("172.16.").append(random.nextInt(16)).append('.').append(1 + random.nextInt(254)).append('\t');
                        line.append(49152 + random.nextInt(16000)).append('\t');
                        int dice = random.nextInt(10_000);
                        String responder = dice < 5 ? iocs.get(random.nextInt(iocs.size()))
                                : dice < 8 ? "199.227.126." + random.nextInt(256)
                                : (20 + random.nextInt(180)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
                        line.append(responder).append('\t');
                        line.append(dice < 20 ? 449 : List.of(443, 80, 53, 88, 445, 8080).get(random.nextInt(6))).append('\t');
                        boolean udp = random.nextInt(5) == 0;
                        line.append(udp ? "udp" : "tcp").append('\t');
                        line.append(SERVICES.get(random.nextInt(SERVICES.size()))).append('\t');
                        line.append(random.nextInt(4) == 0 ? "-" : String.format("%.6f", random.nextDouble() * (dice < 30 ? 7200 : 60))).append('\t');
                        line.append(random.nextInt(100_000)).append('\t').append(random.nextInt(1_000_000)).append('\t');
                        line.append(STATES.get(random.nextInt(STATES.size()))).append("\tT\tF\t0\t");
                        line.append(HISTORIES.get(random.nextInt(HISTORIES.size()))).append('\t');
                        line.append(random.nextInt(500)).append('\t').append(random.nextInt(50_000)).append('\t');
                        line.append(random.nextInt(500)).append('\t').append(random.nextInt(500_000)).append("\t-\t").append(udp ? 17 : 6).append('\n');
                        out.append(line);
                        bytes += line.length();
                    }
                    out.write("#close\t" + day.plusDays(1) + "-00-00-00\n");
                }
                written += rows;
            }
            return bytes;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
