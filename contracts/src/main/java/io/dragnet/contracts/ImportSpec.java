package io.dragnet.contracts;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One day's raw-log import (GenerateJobs → spark-jobs' {@code LakeImportJob}): every Zeek log under
 * {@code <rawLocation>/<date>/} (the day folder Zeek's log archive writes) becomes typed Parquet in
 * {@code <lakeLocation>/zeek_<log>/dt=<UTC day of each record>/}, as {@code dragnet lake import} writes it.
 *
 * @param sources the declared fields of the sources the rules folder knows (built-in and its sources.yaml): JSON logs of
 *         these sources are typed as declared, as {@code dragnet lake import --sources-file} types them
 */
public record ImportSpec(int version, String date, String rawLocation, String lakeLocation, Map<String, List<JobSpec.FieldSpec>> sources)
{
    public static final int VERSION = 1;

    public ImportSpec
    {
        requireNonNull(date, "date is null");
        requireNonNull(rawLocation, "rawLocation is null");
        requireNonNull(lakeLocation, "lakeLocation is null");
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /** The folder of the day's raw logs. */
    public String dayLocation()
    {
        return dayLocation(rawLocation, date);
    }

    public static String dayLocation(String rawLocation, String date)
    {
        return (rawLocation.endsWith("/") ? rawLocation : rawLocation + "/") + date + "/";
    }
}
