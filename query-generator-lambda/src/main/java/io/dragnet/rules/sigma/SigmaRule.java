package io.dragnet.rules.sigma;

import io.dragnet.rules.Problem;
import io.dragnet.rules.model.Rule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One Sigma rule document after conversion: the dragnet rule it compiles as (nothing downstream knows it came from
 * Sigma) and the Sigma metadata kept with it, or the refusals saying why it cannot run.
 *
 * @param id the dragnet rule id, derived from the file name
 * @param rule empty when refused
 * @param refusals empty when converted
 */
public record SigmaRule(String id, Optional<Rule> rule, Metadata metadata, List<Refusal> refusals)
{
    public SigmaRule
    {
        requireNonNull(id, "id is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(metadata, "metadata is null");
        refusals = List.copyOf(refusals);
    }

    public boolean converted()
    {
        return rule.isPresent();
    }

    /**
     * Sigma's metadata as written. {@code uuid} is the Sigma {@code id}, {@code name} its optional name (correlations refer to either); {@code status} and {@code level} are Sigma's words
     * (the dragnet rule carries them as its status and severity).
     */
    public record Metadata(String uuid, String name, String title, String status, String level, String author, String date, List<String> references,
            List<String> falsepositives, Map<String, String> logsource, String pipeline)
    {
        public Metadata
        {
            references = List.copyOf(references);
            falsepositives = List.copyOf(falsepositives);
            logsource = Collections.unmodifiableMap(new LinkedHashMap<>(logsource));
        }
    }

    /**
     * Why a rule cannot run.
     *
     * @param reason a short, groupable statement (e.g. "no pipeline maps logsource product: zeek, service: dce_rpc")
     * @param problem the same with its position and detail
     */
    public record Refusal(String reason, Problem problem)
    {
        public Refusal
        {
            requireNonNull(reason, "reason is null");
            requireNonNull(problem, "problem is null");
        }
    }
}
