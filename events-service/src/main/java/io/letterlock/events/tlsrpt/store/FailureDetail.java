package io.letterlock.events.tlsrpt.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;

import java.util.Objects;

/**
 * One row of RFC 8460 §4.4 {@code failure-details}: the failed sessions that share a result type,
 * sending MTA address, receiving MX host name, its HELO, receiving address, failure reason code and
 * additional information, and how many they were. Each text is cut to a bound, so that a hostile
 * server's greeting or a long error cannot blow up a day's record.
 *
 * @param count failed sessions with exactly these facts
 */
public record FailureDetail(
        @JsonProperty("result_type") TlsRptResultType resultType,
        @JsonProperty("sending_mta_ip") String sendingMtaIp,
        @JsonProperty("receiving_mx_hostname") String receivingMxHostname,
        @JsonProperty("receiving_mx_helo") String receivingMxHelo,
        @JsonProperty("receiving_ip") String receivingIp,
        @JsonProperty("failure_reason_code") String failureReasonCode,
        @JsonProperty("additional_information") String additionalInformation,
        @JsonProperty("count") long count) {

    /** A DNS name's longest presentation form (RFC 1035 §2.3.4). */
    static final int MAX_NAME = 253;
    /** The longest IPv6 text, with a zone or IPv4 tail. */
    static final int MAX_ADDRESS = 45;
    static final int MAX_REASON_CODE = 64;
    static final int MAX_ADDITIONAL_INFORMATION = 200;

    public FailureDetail {
        Objects.requireNonNull(resultType, "resultType");
        sendingMtaIp = cut(sendingMtaIp, MAX_ADDRESS);
        receivingMxHostname = cut(receivingMxHostname, MAX_NAME);
        receivingMxHelo = cut(receivingMxHelo, MAX_NAME);
        receivingIp = cut(receivingIp, MAX_ADDRESS);
        failureReasonCode = cut(failureReasonCode, MAX_REASON_CODE);
        additionalInformation = cut(additionalInformation, MAX_ADDITIONAL_INFORMATION);
    }

    /** The row one failed session starts, counting it. */
    public static FailureDetail first(TlsSessionResult session) {
        return new FailureDetail(session.result(), session.sendingMtaIp(), session.receivingMxHostname(),
                session.receivingMxHelo(), session.receivingIp(), session.failureReasonCode(),
                session.additionalInformation(), 1);
    }

    /** Whether this row counts sessions with the same facts as {@code other} (counts aside). */
    public boolean sameFacts(FailureDetail other) {
        return resultType == other.resultType
                && Objects.equals(sendingMtaIp, other.sendingMtaIp)
                && Objects.equals(receivingMxHostname, other.receivingMxHostname)
                && Objects.equals(receivingMxHelo, other.receivingMxHelo)
                && Objects.equals(receivingIp, other.receivingIp)
                && Objects.equals(failureReasonCode, other.failureReasonCode)
                && Objects.equals(additionalInformation, other.additionalInformation);
    }

    FailureDetail plus(long sessions) {
        return new FailureDetail(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp,
                failureReasonCode, additionalInformation, count + sessions);
    }

    static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
