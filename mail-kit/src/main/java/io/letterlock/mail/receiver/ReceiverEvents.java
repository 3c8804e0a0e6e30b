package io.letterlock.mail.receiver;

import io.letterlock.mail.dane.DaneOutcome;
import io.letterlock.mail.mtasts.StsVerdict;

/**
 * What the receiver rules saw, for whoever counts or records it: each host's DANE outcome, and each
 * way a host fell short of an MTA-STS policy in {@code testing} mode, where the message still goes
 * (RFC 8461 §5) and the failure is only recorded, for the domain's TLS reports.
 */
public interface ReceiverEvents {

    /** Tells nobody. */
    ReceiverEvents NONE = new ReceiverEvents() {
    };

    default void daneOutcome(DaneOutcome outcome) {
    }

    default void mtaStsTestingFailure(String domain, String mxHost, StsVerdict.Failure failure) {
    }
}
