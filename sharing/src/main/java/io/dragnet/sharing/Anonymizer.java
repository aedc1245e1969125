package io.dragnet.sharing;

import io.dragnet.anonymization.Network;
import io.dragnet.anonymization.SharingKeys;
import io.dragnet.anonymization.Pseudonyms;
import io.dragnet.anonymization.CryptoPan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Turns a hit document into what one recipient may see: only the fields its policy keeps; internal addresses
 * (whole address fields, and IPv4 addresses inside any text) replaced by their Crypto-PAn image; the policy's
 * pseudonymized fields replaced by keyed pseudonyms. External addresses stay in clear unless the policy says
 * otherwise. Not thread-safe (the ciphers are not).
 */
public final class Anonymizer
{
    static final Pattern IPV4_IN_TEXT = Pattern.compile("(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?![0-9]|\\.[0-9])");

    private final SharingPolicy.Recipient recipient;
    private final CryptoPan cryptoPan;
    private final Pseudonyms pseudonyms;

    public Anonymizer(SharingPolicy.Recipient recipient, SharingKeys keys)
    {
        this.recipient = requireNonNull(recipient, "recipient is null");
        this.cryptoPan = keys.cryptoPan();
        this.pseudonyms = keys.pseudonyms();
    }

    /**
     * The recipient's view of one hit; fields the policy does not keep are dropped. A kept field the hit holds only as
     * sub-fields (an aggregate hit's {@code aggregate.measures.<name>}) becomes one map of them, each transformed alike.
     */
    public Map<String, Object> apply(Map<String, Object> hit)
    {
        Map<String, Object> view = new LinkedHashMap<>();
        for (String field : recipient.fields()) {
            Object value = hit.get(field);
            if (value != null) {
                view.put(field, transform(field, value));
                continue;
            }
            Map<String, Object> subFields = new TreeMap<>();
            hit.forEach((name, subValue) -> {
                if (name.startsWith(field + ".") && subValue != null) {
                    subFields.put(name.substring(field.length() + 1), transform(name, subValue));
                }
            });
            if (!subFields.isEmpty()) {
                view.put(field, subFields);
            }
        }
        return view;
    }

    /** An address as the recipient sees it: anonymized when internal (or when the policy anonymizes every address). */
    public String address(String text)
    {
        Optional<byte[]> bytes = Network.address(text);
        if (bytes.isEmpty() || !(recipient.anonymizeExternalAddresses() || recipient.isInternal(bytes.get()))) {
            return text;
        }
        return cryptoPan.anonymize(text).orElseThrow();
    }

    private Object transform(String field, Object value)
    {
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(transform(field, item));
            }
            return items;
        }
        if (!(value instanceof String text)) {
            return value;
        }
        if (recipient.pseudonymizedFields().contains(field)) {
            return pseudonyms.pseudonym(field.substring(field.lastIndexOf('.') + 1), text);
        }
        if (SharingPolicy.ADDRESS_FIELDS.contains(field)) {
            return address(text);
        }
        return text(text);
    }

    /** Free text as the recipient sees it: a whole address anonymized as an address, internal IPv4 addresses inside it replaced. */
    public String text(String text)
    {
        if (Network.address(text).isPresent()) {
            return address(text);
        }
        Matcher matcher = IPV4_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(address(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
