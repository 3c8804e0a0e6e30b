package io.letterlock.events.tlsrpt;

import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** TLS session results as delivery-service writes them, for the TLS-RPT tests. */
public final class TlsSessions {

    /** An MTA-STS policy of company-y.example, RFC 8460 Appendix B's. */
    public static final List<String> STS_POLICY = List.of("version: STSv1", "mode: testing",
            "mx: *.mail.company-y.example", "max_age: 86400");
    public static final List<String> STS_MX = List.of("*.mail.company-y.example");
    public static final List<String> TLSA_RECORDS = List.of(
            "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6");

    private TlsSessions() {
    }

    public static TlsSessionResult stsSuccess(String domain, Instant at) {
        return session(domain, at, TlsRptPolicyType.STS, TlsRptResultType.SUCCESS, "mx1.mail." + domain, null, null);
    }

    public static TlsSessionResult stsFailure(String domain, Instant at, TlsRptResultType result, String mx,
                                              String reasonCode) {
        return session(domain, at, TlsRptPolicyType.STS, result, mx, reasonCode, null);
    }

    public static TlsSessionResult tlsaSuccess(String domain, Instant at) {
        return tlsa(domain, at, TlsRptResultType.SUCCESS, null);
    }

    public static TlsSessionResult tlsa(String domain, Instant at, TlsRptResultType result, String reasonCode) {
        return session(domain, at, TlsRptPolicyType.TLSA, result, "mx.dane." + domain, reasonCode, null);
    }

    public static TlsSessionResult session(String domain, Instant at, TlsRptPolicyType type, TlsRptResultType result,
                                           String mx, String reasonCode, String additionalInformation) {
        return new TlsSessionResult("s-" + UUID.randomUUID(), at, domain, type,
                switch (type) {
                    case STS -> STS_POLICY;
                    case TLSA -> TLSA_RECORDS;
                    case NO_POLICY_FOUND -> List.of();
                },
                type == TlsRptPolicyType.STS ? STS_MX : List.of(),
                result, "198.51.100.62", mx, mx == null ? null : "helo." + mx, mx == null ? null : "203.0.113.58",
                reasonCode, additionalInformation);
    }
}
