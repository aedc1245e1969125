package io.dragnet.anonymization;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The pseudonyms written beside each hit document at index time, so a group that may not see addresses can still
 * search for one host: {@code pseudonym.source.ip} and {@code pseudonym.destination.ip} hold the Crypto-PAn image of
 * the document's address under the sharing key. Exports anonymize internal addresses with the same key and the same
 * construction, so the address a partner's STIX or MISP file shows for an internal host is the document's pseudonym,
 * and shared prefixes (subnets) stay shared. Every address gets a pseudonym, external ones too: which networks count
 * as internal is a per-recipient choice of the sharing policy, not known when a day is indexed.
 *
 * <p>Each address is also written as text to its ECS {@code source.address} / {@code destination.address} (keyword):
 * the security plugin's field masking works on string fields only, and on the {@code ip}-typed {@code source.ip} it
 * leaks the address through range aggregations, so an access policy hides {@code *.ip} and masks {@code *.address}
 * for a group that must not see addresses (docs/security.md). Not thread-safe (the cipher is not): one instance per writer.
 */
public final class IndexPseudonyms
{
    /** Object under which the pseudonyms sit in a document. */
    public static final String PREFIX = "pseudonym";
    /** The address fields that get a pseudonym, as {@code pseudonym.<field>}, and a text copy, as {@code <side>.address}. */
    public static final List<String> ADDRESS_FIELDS = List.of("source.ip", "destination.ip");
    /** The last part of the keyword field holding an address as text, beside its {@code ip} field. */
    public static final String ADDRESS_TEXT = "address";

    private final CryptoPan cryptoPan;

    public IndexPseudonyms(SharingKeys keys)
    {
        this.cryptoPan = requireNonNull(keys, "keys is null").cryptoPan();
    }

    /** The field holding the pseudonym of {@code field}. */
    public static String pseudonymField(String field)
    {
        return PREFIX + "." + field;
    }

    /** The pseudonym of one address: its Crypto-PAn image; empty when the text is not an IPv4 or IPv6 address. */
    public Optional<String> address(String text)
    {
        return cryptoPan.anonymize(text);
    }

    /**
     * Adds the pseudonyms and address texts to a document as the index writer sends it: flat, one dotted ECS name per
     * key ({@code "source.ip": "10.1.2.3"}). A missing or non-address value gets neither.
     */
    public void addTo(Map<String, Object> document)
    {
        for (String field : ADDRESS_FIELDS) {
            if (!(document.get(field) instanceof String address)) {
                continue;
            }
            Optional<String> pseudonym = address(address);
            if (pseudonym.isPresent()) {
                document.put(addressTextField(field), address);
                document.put(pseudonymField(field), pseudonym.get());
            }
        }
    }

    /** The keyword field holding an address field's value as text: {@code source.ip} → {@code source.address}. */
    public static String addressTextField(String field)
    {
        return field.substring(0, field.lastIndexOf('.') + 1) + ADDRESS_TEXT;
    }
}
