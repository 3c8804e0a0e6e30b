package io.letterlock.mail.requiretls;

/**
 * What one message asks of TLS on its way, beyond its account's policy (RFC 8689): REQUIRETLS, or
 * {@code TLS-Required: No}, or nothing.
 */
public enum MessageTlsRequest {

    /** Nothing beyond the sender's and the receiving domain's policies. */
    NONE,
    /**
     * REQUIRETLS (RFC 8689 §4.2.1): only to an MX host found securely, over TLS with a valid
     * certificate, whose server advertises REQUIRETLS; else a bounce.
     */
    REQUIRETLS,
    /**
     * {@code TLS-Required: No} (RFC 8689 §4.2.2): the receiving domain's DANE and MTA-STS are not
     * applied; the sender's own policy decides.
     */
    TLS_REQUIRED_NO;

    /**
     * RFC 8689 §4.1: a message with both asks for REQUIRETLS, and its {@code TLS-Required} header
     * field is ignored.
     *
     * @param requiretls    the message asks for REQUIRETLS
     * @param tlsRequiredNo the message carries the header field {@code TLS-Required: No}
     */
    public static MessageTlsRequest of(boolean requiretls, boolean tlsRequiredNo) {
        if (requiretls) {
            return REQUIRETLS;
        }
        return tlsRequiredNo ? TLS_REQUIRED_NO : NONE;
    }
}
