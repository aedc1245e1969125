package io.dragnet.contracts;

import java.util.List;

/**
 * Columns of a NIDS verdict record (nids-realtime → lake/nids_verdicts/dt=YYYY-MM-DD/*.parquet and the
 * Kafka topic "verdicts"). Times are epoch milliseconds except start/end which are timestamps.
 */
public final class VerdictColumns
{
    public static final String SESSION_ID = "session_id";
    public static final String SRC_IP = "src_ip";
    public static final String SRC_PORT = "src_port";
    public static final String DST_IP = "dst_ip";
    public static final String DST_PORT = "dst_port";
    public static final String PROTO = "proto";
    public static final String SERVICE = "service";
    public static final String STATE = "state";
    public static final String START_TIME = "start_time";
    public static final String END_TIME = "end_time";
    public static final String SCORE = "score";
    public static final String PREDICTED_MALICIOUS = "predicted_malicious";
    public static final String ATTACK_CATEGORY = "attack_category";
    public static final String MODEL_VERSION = "model_version";
    public static final String SENT_AT = "sent_at_ms";
    public static final String BROKER_AT = "broker_at_ms";
    public static final String FEATURES_AT = "features_at_ms";
    public static final String SCORED_AT = "scored_at_ms";
    public static final String DT = "dt";

    /**
     * What identifies a verdict: the sensor's session. A session scored twice (a stream restarted from the earliest
     * offset after losing its checkpoint) has two rows with the same identity; readers keep one.
     */
    public static final List<String> IDENTITY = List.of(SESSION_ID);

    /** Column name → type as used in job spec schemas. */
    public static final List<JobSpec.FieldSpec> SCHEMA = List.of(
            new JobSpec.FieldSpec(SESSION_ID, "string"),
            new JobSpec.FieldSpec(SRC_IP, "ip"),
            new JobSpec.FieldSpec(SRC_PORT, "long"),
            new JobSpec.FieldSpec(DST_IP, "ip"),
            new JobSpec.FieldSpec(DST_PORT, "long"),
            new JobSpec.FieldSpec(PROTO, "string"),
            new JobSpec.FieldSpec(SERVICE, "string"),
            new JobSpec.FieldSpec(STATE, "string"),
            new JobSpec.FieldSpec(START_TIME, "timestamp"),
            new JobSpec.FieldSpec(END_TIME, "timestamp"),
            new JobSpec.FieldSpec(SCORE, "double"),
            new JobSpec.FieldSpec(PREDICTED_MALICIOUS, "boolean"),
            new JobSpec.FieldSpec(ATTACK_CATEGORY, "string"),
            new JobSpec.FieldSpec(MODEL_VERSION, "string"),
            new JobSpec.FieldSpec(SENT_AT, "long"),
            new JobSpec.FieldSpec(BROKER_AT, "long"),
            new JobSpec.FieldSpec(FEATURES_AT, "long"),
            new JobSpec.FieldSpec(SCORED_AT, "long"));

    private VerdictColumns() {}

    /** True for a source whose records are verdicts (it has the identity and scoring-time columns). */
    public static boolean isVerdictSource(java.util.Collection<String> fieldNames)
    {
        return fieldNames.containsAll(IDENTITY) && fieldNames.contains(SCORED_AT);
    }
}
