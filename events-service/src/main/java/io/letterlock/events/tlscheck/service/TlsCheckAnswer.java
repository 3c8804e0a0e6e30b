package io.letterlock.events.tlscheck.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The answer of {@code GET /v3/tls/check/{domain}}, SendGrid-style snake_case. Fields that do not
 * apply are {@code null}, never left out, so clients see the whole shape every time.
 *
 * @param domain             the domain as DNS was asked about it (lower-case A-labels)
 * @param checkedAt          when the probe ran (ISO-8601); a cached answer keeps its time
 * @param cached             served from the cache rather than probed for this request
 * @param error              why no MX host could be looked at (NXDOMAIN, null MX, DNS failure), else null
 * @param tlsVersionsChecked the versions each server was asked for in separate handshakes
 * @param mx                 each MX host looked at, in preference order
 * @param verdicts           what delivery would do under each combination of the two settings
 * @param requiretlsVerdict  what delivery would do with a message that asks for REQUIRETLS (RFC 8689)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TlsCheckAnswer(
        @JsonProperty("domain") String domain,
        @JsonProperty("checked_at") String checkedAt,
        @JsonProperty("cached") boolean cached,
        @JsonProperty("error") String error,
        @JsonProperty("tls_versions_checked") List<String> tlsVersionsChecked,
        @JsonProperty("tls_versions_note") String tlsVersionsNote,
        @JsonProperty("mx") List<MxHost> mx,
        @JsonProperty("verdicts") List<Verdict> verdicts,
        @JsonProperty("mta_sts") MtaSts mtaSts,
        @JsonProperty("requiretls_verdict") Verdict requiretlsVerdict) {

    public TlsCheckAnswer fromCache() {
        return new TlsCheckAnswer(domain, checkedAt, true, error, tlsVersionsChecked, tlsVersionsNote, mx, verdicts,
                mtaSts, requiretlsVerdict);
    }

    /**
     * The domain's MTA-STS policy (RFC 8461) as delivery would apply it; null when not looked up.
     *
     * @param policy    found: true when a policy applies (fetched now, or kept from before)
     * @param error     why none applies, or why a refresh failed (a fetch error, an invalid policy)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MtaSts(
            @JsonProperty("policy") boolean policy,
            @JsonProperty("mode") String mode,
            @JsonProperty("mx") List<String> mx,
            @JsonProperty("max_age") Long maxAge,
            @JsonProperty("id") String id,
            @JsonProperty("error") String error) {
    }

    /**
     * One MX host's DANE state (RFC 7672).
     *
     * @param status        {@code authenticate} (usable TLSA records), {@code encrypt-only} (records,
     *                      none usable), {@code not-applicable} (insecure or no records),
     *                      {@code tempfail} (a lookup failed or was bogus)
     * @param tlsa          the usable records, {@code usage selector matching-type data}
     * @param chainMatches  whether the chain the server presented matched them; null when not known
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Dane(
            @JsonProperty("status") String status,
            @JsonProperty("detail") String detail,
            @JsonProperty("tlsa") List<String> tlsa,
            @JsonProperty("chain_matches") Boolean chainMatches) {
    }

    /**
     * One mail exchanger as the probe found it.
     *
     * @param reachable  an SMTP conversation took place (greeting and EHLO answered)
     * @param error      why not, when not reachable
     * @param starttls   the server advertised STARTTLS; null when not reachable
     * @param starttlsError the server's reply when it advertised STARTTLS and refused the command, or
     *                   why the exchange ended when the server sent data behind its 220 (injection)
     * @param tlsVersions the versions a handshake offering only that version succeeded with
     * @param certError  why the certificate does not verify, word for word as delivery's {@code cert_error}
     * @param requiretls the server advertised REQUIRETLS in its EHLO after the handshake; null without one
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MxHost(
            @JsonProperty("host") String host,
            @JsonProperty("preference") int preference,
            @JsonProperty("address") String address,
            @JsonProperty("port") int port,
            @JsonProperty("reachable") boolean reachable,
            @JsonProperty("error") String error,
            @JsonProperty("starttls") Boolean starttls,
            @JsonProperty("starttls_error") String starttlsError,
            @JsonProperty("handshake_error") String handshakeError,
            @JsonProperty("tls_versions") List<String> tlsVersions,
            @JsonProperty("tls_version") String tlsVersion,
            @JsonProperty("tls_cipher") String tlsCipher,
            @JsonProperty("certificate") Certificate certificate,
            @JsonProperty("chain") List<Certificate> chain,
            @JsonProperty("cert_valid") Boolean certValid,
            @JsonProperty("cert_error") String certError,
            @JsonProperty("dane") Dane dane,
            @JsonProperty("mta_sts_listed") Boolean mtaStsListed,
            @JsonProperty("requiretls") Boolean requiretls) {
    }

    /** One certificate of the presented chain. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Certificate(
            @JsonProperty("subject") String subject,
            @JsonProperty("issuer") String issuer,
            @JsonProperty("san") List<String> san,
            @JsonProperty("not_before") String notBefore,
            @JsonProperty("not_after") String notAfter,
            @JsonProperty("sha256") String sha256) {
    }

    /**
     * What delivery would do with mail to this domain under one combination of the settings (for
     * {@code requiretls_verdict}: a message that asks for REQUIRETLS, which requires TLS and a valid
     * certificate whatever the settings, both {@code true}).
     *
     * @param outcome {@code delivered}, {@code dropped} (bounce {@code type:"blocked"}), {@code deferred}
     *                or {@code bounced} (for REQUIRETLS: no host qualifies, {@code 550 5.7.30 …})
     * @param mx      the MX host whose answer decided the verdict, or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Verdict(
            @JsonProperty("require_tls") boolean requireTls,
            @JsonProperty("require_valid_cert") boolean requireValidCert,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("reason") String reason,
            @JsonProperty("mx") String mx) {
    }
}
