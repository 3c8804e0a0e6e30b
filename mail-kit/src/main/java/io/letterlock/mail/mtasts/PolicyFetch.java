package io.letterlock.mail.mtasts;

import io.letterlock.contracts.TlsRptResultType;

import java.util.Objects;

/** What fetching a domain's policy over HTTPS gave (RFC 8461 §3.3). */
public sealed interface PolicyFetch {

    record Fetched(MtaStsPolicy policy) implements PolicyFetch {
        public Fetched {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * No policy: the fetch failed, the certificate did not verify, or the body was no valid policy.
     *
     * @param kind   which of TLS-RPT's policy failures this is
     * @param reason for logs and reports, e.g. {@code HTTP 301 (redirects are not followed, RFC 8461 §3.3)}
     */
    record FetchFailed(FetchFailure kind, String reason) implements PolicyFetch {
        public FetchFailed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        /** As TLS-RPT reports it. */
        public TlsRptResultType resultType() {
            return kind.resultType();
        }
    }

    /** The three ways a fetch fails that RFC 8460 §4.3.2.3 tells apart. */
    enum FetchFailure {
        /** No answer to use: DNS, a refused address, connect, TLS other than the certificate, HTTP status,
         * content type, size or time limit. */
        FETCH_ERROR(TlsRptResultType.STS_POLICY_FETCH_ERROR),
        /** An answer, but not a valid policy. */
        POLICY_INVALID(TlsRptResultType.STS_POLICY_INVALID),
        /** The policy host's certificate is not valid for {@code mta-sts.<domain>} (RFC 8461 §3.3). */
        WEBPKI_INVALID(TlsRptResultType.STS_WEBPKI_INVALID);

        private final TlsRptResultType resultType;

        FetchFailure(TlsRptResultType resultType) {
            this.resultType = resultType;
        }

        public TlsRptResultType resultType() {
            return resultType;
        }
    }
}
