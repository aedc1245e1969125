package io.dragnet.rules.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Kinds of indicator a rule can sweep for, with the ECS-style fields each kind is matched against by default.
 * The table written for a kind carries the kind's name; the backend matches exact values, CIDR containment
 * (cidr) or the domain and its subdomains (domain).
 */
public enum IocKind
{
    IP(List.of("source.ip", "destination.ip")),
    CIDR(List.of("source.ip", "destination.ip")),
    DOMAIN(List.of("dns.question.name", "url.domain", "tls.server.name")),
    URL(List.of("url.full")),
    MD5(List.of("file.hash.md5")),
    SHA1(List.of("file.hash.sha1")),
    SHA256(List.of("file.hash.sha256")),
    JA3(List.of("tls.client.ja3")),
    USER_AGENT(List.of("user_agent.original")),
    KEYWORD(List.of());

    private final List<String> defaultFields;

    IocKind(List<String> defaultFields)
    {
        this.defaultFields = defaultFields;
    }

    public List<String> defaultFields()
    {
        return defaultFields;
    }

    public String keyword()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> keywords()
    {
        return Arrays.stream(values()).map(IocKind::keyword).toList();
    }
}
