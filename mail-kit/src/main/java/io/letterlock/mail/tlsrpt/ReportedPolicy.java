package io.letterlock.mail.tlsrpt;

import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.dane.TlsaRecords;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.MxPattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The policy a session is reported under (RFC 8460 §4.4): its type, its {@code policy-string}s and,
 * for MTA-STS, its {@code mx-host} patterns.
 *
 * @param type           {@code tlsa}, {@code sts} or {@code no-policy-found}
 * @param strings        the TLSA records in presentation form, or the MTA-STS policy's lines
 * @param mxHostPatterns the MTA-STS policy's {@code mx} patterns; empty otherwise
 */
public record ReportedPolicy(TlsRptPolicyType type, List<String> strings, List<String> mxHostPatterns) {

    public static final ReportedPolicy NONE = new ReportedPolicy(TlsRptPolicyType.NO_POLICY_FOUND, List.of(), List.of());

    public ReportedPolicy {
        Objects.requireNonNull(type, "type");
        strings = List.copyOf(strings);
        mxHostPatterns = List.copyOf(mxHostPatterns);
    }

    /** An MTA-STS policy, in mode {@code enforce} or {@code testing}: its text line by line, its mx patterns. */
    public static ReportedPolicy sts(MtaStsPolicy policy) {
        List<String> lines = policy.text().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return new ReportedPolicy(TlsRptPolicyType.STS, lines, policy.mx().stream().map(MxPattern::text).toList());
    }

    /** The TLSA records DANE found for a host, usable or not, each as {@code 3 1 1 <hex>}. */
    public static ReportedPolicy tlsa(DaneState state) {
        List<TlsaAssociation> records = new ArrayList<>();
        List<TlsaRecords.Unusable> unusable = List.of();
        if (state instanceof DaneState.Authenticate authenticate) {
            records.addAll(authenticate.records());
            unusable = authenticate.unusable();
        } else if (state instanceof DaneState.EncryptOnly encryptOnly) {
            unusable = encryptOnly.unusable();
        }
        unusable.forEach(record -> records.add(record.record()));
        return new ReportedPolicy(TlsRptPolicyType.TLSA, records.stream().map(TlsaAssociation::presentation).toList(),
                List.of());
    }
}
