package io.dragnet.access;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Who may read (or write) which topic: parsed from the access-policy YAML by {@link AccessPolicyParser}, compiled by
 * {@link SecurityCompiler} (OpenSearch security plugin) and {@link CognitoGroups} (SAM template).
 */
public record AccessPolicy(String source, Map<String, Topic> topics, List<String> ledgerIndices, Map<String, String> tenants, Map<String, Group> groups)
{
    public AccessPolicy
    {
        requireNonNull(source, "source is null");
        topics = Map.copyOf(topics);
        ledgerIndices = List.copyOf(ledgerIndices);
        tenants = Map.copyOf(tenants);
        groups = Map.copyOf(groups);
    }

    /**
     * @param restrictedIndices the index patterns of the topic's restricted partition (documents about restricted
     * assets, written to their own indices); readable only by groups that list the topic under {@code read_restricted}
     */
    public record Topic(String name, List<String> indices, List<String> restrictedIndices)
    {
        public Topic
        {
            requireNonNull(name, "name is null");
            indices = List.copyOf(indices);
            restrictedIndices = List.copyOf(restrictedIndices);
        }
    }

    /**
     * @param readRestricted topics whose restricted partition the group may read too
     * @param hiddenFields topic → fields removed (FLS)
     * @param maskedFields topic → fields whose values are replaced by a hash
     * @param sandbox topics whose sandbox runs (test rules, partial rule folders) the group may read: the topic's own
     *         research group, not everyone reading the topic; with the topic's restricted sandbox when it reads the restricted partition
     */
    public record Group(
            String name,
            String description,
            List<String> read,
            List<String> write,
            List<String> readRestricted,
            Map<String, List<String>> hiddenFields,
            Map<String, List<String>> maskedFields,
            List<String> tenants,
            boolean ledgerRead,
            List<String> sandbox)
    {
        public Group
        {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            read = List.copyOf(read);
            write = List.copyOf(write);
            readRestricted = List.copyOf(readRestricted);
            hiddenFields = Map.copyOf(hiddenFields);
            maskedFields = Map.copyOf(maskedFields);
            tenants = List.copyOf(tenants);
            sandbox = List.copyOf(sandbox);
        }

        public boolean reads(String topic)
        {
            return read.contains(topic) || write.contains(topic);
        }
    }
}
