package io.letterlock.mail.dane;

/**
 * DANE (RFC 7672) applied to what the receiving server did, one pure function per point of the
 * SMTP conversation where a decision falls, as {@code TlsPolicyDecisions} does for the account's
 * policy; its tests are the behaviour table.
 *
 * <p>The invariant behind every branch: when DANE applies ({@link DaneState#requiresTls()}) no
 * message byte is ever sent in cleartext, not after a missing or refused STARTTLS, not after a
 * failed handshake, not after a failed authentication (RFC 7672 §2.2: a secure, non-empty TLSA
 * RRset makes TLS mandatory for that host).
 * A failure with one MX host moves on to the next (the same as for a host that cannot be reached,
 * RFC 7672 §2.1.1, §2.2); only when no host is left is the message deferred.
 *
 * <p>Where DANE does not apply these return {@link DaneDecision.NotApplicable} and the account's
 * decisions stand. Where it applies, it is the stricter source for TLS itself; the account's
 * {@code require_valid_cert} is met by DANE authentication ({@link DaneVerdict#asCertificateVerdict()})
 * and, for a host with only unusable TLSA records, still needs the PKIX verdict.
 */
public final class DaneDecisions {

    /** RFC 3463 §3.8: X.7.5 "Cryptographic failure", the enhanced status of a DANE deferral. */
    public static final String DANE_FAILURE_STATUS = "4.7.5";

    private DaneDecisions() {
    }

    /** Before connecting to a host, with its DANE state. */
    public static DaneDecision beforeConnect(DaneState state) {
        if (state instanceof DaneState.Tempfail tempfail) {
            // RFC 7672 §2.1.1: whether DANE applies cannot be known; this host must not get the mail.
            return new DaneDecision.TryNextMx(tempfail.reason());
        }
        if (!state.requiresTls()) {
            return new DaneDecision.NotApplicable();
        }
        return new DaneDecision.Proceed("TLS required by DANE (" + tlsaDescription(state) + ")");
    }

    /** After EHLO: the server did or did not advertise STARTTLS. */
    public static DaneDecision afterEhlo(DaneState state, boolean startTlsOffered) {
        if (!state.requiresTls()) {
            return notApplicableOrTryNext(state);
        }
        if (!startTlsOffered) {
            // RFC 7672 §2.2: TLSA records mean TLS is mandatory; an attacker may have removed the offer.
            return new DaneDecision.TryNextMx("STARTTLS not offered, but TLSA records require TLS ("
                    + tlsaDescription(state) + ")");
        }
        return new DaneDecision.Proceed("STARTTLS offered");
    }

    /** The server advertised STARTTLS but refused the command. */
    public static DaneDecision afterStartTlsRefused(DaneState state, String reply) {
        if (!state.requiresTls()) {
            return notApplicableOrTryNext(state);
        }
        return new DaneDecision.TryNextMx("STARTTLS refused (" + reply + "), but TLSA records require TLS");
    }

    /** The TLS handshake failed; the connection is unusable, and no cleartext retry follows. */
    public static DaneDecision afterHandshakeFailure(DaneState state, String why) {
        if (!state.requiresTls()) {
            return notApplicableOrTryNext(state);
        }
        return new DaneDecision.TryNextMx(why + "; TLSA records require TLS, so no cleartext retry");
    }

    /**
     * The handshake succeeded; {@code verdict} is {@link DaneVerifier}'s judgement of the chain
     * (ignored for a host with only unusable records, whose certificate is not checked, RFC 7672 §2.2).
     */
    public static DaneDecision afterHandshake(DaneState state, DaneVerdict verdict) {
        if (state instanceof DaneState.EncryptOnly) {
            return new DaneDecision.Proceed("TLS without authentication: no usable TLSA record");
        }
        if (!(state instanceof DaneState.Authenticate)) {
            return notApplicableOrTryNext(state);
        }
        return verdict.authenticated()
                ? new DaneDecision.Proceed(verdict.detail())
                : new DaneDecision.TryNextMx(verdict.detail());
    }

    /**
     * Every MX host was tried and DANE (or a DANE lookup) stopped each: defer, and retry later
     * (RFC 7672 §2.1.1 "delayed"; docs/architecture.md: DANE failures defer).
     *
     * @param lastReason the reason of the last {@link DaneDecision.TryNextMx}
     */
    public static DaneDecision whenNoMxHostLeft(String lastReason) {
        return new DaneDecision.Defer(lastReason);
    }

    private static DaneDecision notApplicableOrTryNext(DaneState state) {
        return state instanceof DaneState.Tempfail tempfail
                ? new DaneDecision.TryNextMx(tempfail.reason())
                : new DaneDecision.NotApplicable();
    }

    private static String tlsaDescription(DaneState state) {
        if (state instanceof DaneState.Authenticate authenticate) {
            return authenticate.records().size() + " usable TLSA record(s) for " + authenticate.tlsaBaseDomain();
        }
        if (state instanceof DaneState.EncryptOnly encryptOnly) {
            return "TLSA records for " + encryptOnly.tlsaBaseDomain() + ", none usable";
        }
        return state.outcome().tag();
    }
}
