package io.letterlock.mail.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A receiving domain's TLS reporting policy, the TXT record at {@code _smtp._tls.<domain>}
 * (RFC 8460 §3): where its daily reports go.
 * <pre>
 * tlsrpt-record    = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 * field-delim      = *WSP ";" *WSP
 * tlsrpt-field     = tlsrpt-rua / tlsrpt-extension
 * tlsrpt-version   = %s"v=TLSRPTv1"
 * tlsrpt-rua       = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 * tlsrpt-extension = tlsrpt-ext-name "=" tlsrpt-ext-value
 * tlsrpt-ext-name  = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 * Only {@code mailto:} and {@code https:} targets are kept (§3: the two the RFC defines); others
 * are left out, not an error. A domain publishes at most one such record: with none, or with
 * several (§3: "the number of resulting records is not one"), it gets no report.
 *
 * @param targets where to send, in the record's order, each once
 */
public record TlsRptRecord(List<URI> targets) {

    private static final String VERSION = "v=TLSRPTv1";
    private static final Pattern VERSION_THEN_DELIMITER = Pattern.compile("v=TLSRPTv1[ \\t]*(;.*)?", Pattern.DOTALL);
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");
    /** More targets than any domain needs; a record listing thousands must not cost thousands of submissions. */
    static final int MAX_TARGETS = 10;

    public TlsRptRecord {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT record needs a mailto: or https: target");
        }
    }

    /**
     * The domain's policy from the TXT records found at {@code _smtp._tls.<domain>}, each given as
     * its character-strings already joined (RFC 7208 §3.3 style: a long record is split into
     * strings of 255 and read as one).
     *
     * @return empty when the domain publishes no usable record: none starting with {@code v=TLSRPTv1},
     *         several, one that breaks the syntax, or one without a mailto: or https: target
     */
    public static Optional<TlsRptRecord> fromTxt(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(Objects::nonNull)
                .filter(record -> VERSION_THEN_DELIMITER.matcher(record).matches()).toList();
        if (candidates.size() != 1) {
            return Optional.empty();
        }
        return parse(candidates.get(0));
    }

    private static Optional<TlsRptRecord> parse(String record) {
        String rest = record.substring(VERSION.length()).strip();
        if (!rest.startsWith(";")) {
            return Optional.empty(); // the version alone: at least one field is required
        }
        List<URI> targets = new ArrayList<>();
        boolean sawRua = false;
        for (String field : rest.substring(1).split(";", -1)) {
            String trimmed = field.strip();
            if (trimmed.isEmpty()) {
                continue; // the optional trailing delimiter, or a stray one between fields
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            String name = trimmed.substring(0, equals);
            String value = trimmed.substring(equals + 1);
            if (name.equals("rua")) {
                if (sawRua) {
                    return Optional.empty(); // one rua field, the ABNF allows no second
                }
                sawRua = true;
                Optional<List<URI>> uris = targets(value);
                if (uris.isEmpty()) {
                    return Optional.empty();
                }
                targets.addAll(uris.get());
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
        }
        List<URI> usable = targets.stream().filter(TlsRptRecord::isSupported).distinct().limit(MAX_TARGETS).toList();
        return sawRua && !usable.isEmpty() ? Optional.of(new TlsRptRecord(usable)) : Optional.empty();
    }

    private static Optional<List<URI>> targets(String value) {
        List<URI> uris = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String text = part.strip();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(text);
                if (uri.getScheme() == null) {
                    return Optional.empty();
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        return Optional.of(uris);
    }

    private static boolean isSupported(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri.getHost() != null;
        }
        return scheme.equals("mailto") && uri.getSchemeSpecificPart() != null
                && uri.getSchemeSpecificPart().contains("@");
    }

    /** The {@code mailto:} targets. */
    public List<URI> mailtoTargets() {
        return targets.stream().filter(uri -> uri.getScheme().equalsIgnoreCase("mailto")).toList();
    }

    /** The {@code https:} targets. */
    public List<URI> httpsTargets() {
        return targets.stream().filter(uri -> uri.getScheme().equalsIgnoreCase("https")).toList();
    }
}
