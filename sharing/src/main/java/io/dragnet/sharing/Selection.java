package io.dragnet.sharing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The hits one recipient may receive, out of those read: its rules (and the ones asked for), up to its TLP level.
 *
 * @param tlp the most restricted level among the selected hits
 * @param withheld hits left out, by reason
 */
public record Selection(List<Map<String, Object>> hits, Tlp tlp, Map<String, Integer> withheld)
{
    public Selection
    {
        hits = List.copyOf(hits);
        requireNonNull(tlp, "tlp is null");
        withheld = Map.copyOf(withheld);
    }

    /** @param requestedRules rule ids asked for, or empty for all */
    public static Selection of(SharingPolicy policy, SharingPolicy.Recipient recipient, List<String> requestedRules, List<Map<String, Object>> read)
    {
        Map<String, Integer> withheld = new TreeMap<>();
        List<Map<String, Object>> selected = new ArrayList<>();
        Tlp fileTlp = Tlp.CLEAR;
        for (Map<String, Object> hit : read) {
            String ruleId = String.valueOf(hit.get("rule.id"));
            Tlp tlp = tlpOf(policy, hit);
            if (!requestedRules.isEmpty() && !requestedRules.contains(ruleId)) {
                withheld.merge("rule_not_requested", 1, Integer::sum);
            }
            else if (!recipient.allowsRule(ruleId)) {
                withheld.merge("rule_not_allowed", 1, Integer::sum);
            }
            else if (!tlp.allowedUnder(recipient.maxTlp())) {
                withheld.merge("tlp_above_" + recipient.maxTlp().label(), 1, Integer::sum);
            }
            else {
                selected.add(hit);
                fileTlp = tlp.compareTo(fileTlp) > 0 ? tlp : fileTlp;
            }
        }
        return new Selection(selected, fileTlp, withheld);
    }

    /** A hit's TLP level: a {@code tlp:<level>} tag of its rule, else the policy's default. */
    static Tlp tlpOf(SharingPolicy policy, Map<String, Object> hit)
    {
        if (hit.get("tags") instanceof List<?> tags) {
            Optional<Tlp> tagged = tags.stream().map(Object::toString).filter(tag -> tag.toLowerCase(Locale.ROOT).startsWith("tlp"))
                    .map(Tlp::parse).flatMap(Optional::stream).max(Enum::compareTo);
            if (tagged.isPresent()) {
                return tagged.get();
            }
        }
        return policy.defaultTlp();
    }
}
