package io.letterlock.mail.tls;

import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.mtasts.MtaStsPolicy;

/**
 * What the receiving domain asks of the connection to one of its MX hosts, beyond the sender's own
 * policy: DANE (RFC 7672), found in DNSSEC-signed TLSA records of the host, or an MTA-STS policy
 * (RFC 8461) in {@code enforce} mode. DANE takes precedence where the host has usable TLSA records.
 * A receiver's requirement is never met by cleartext, and a failure to meet it defers: another MX
 * may meet it, or this one later.
 */
public sealed interface ReceiverPolicy {

    /** {@code policy.source} of a delivery a receiver's requirement decided. */
    String SOURCE_DANE = "dane";
    String SOURCE_MTA_STS = "mta-sts";

    /** Nothing beyond the sender's policy (no DANE, no MTA-STS, or MTA-STS in testing mode). */
    ReceiverPolicy NONE = new None();

    record None() implements ReceiverPolicy {
    }

    /**
     * DANE applies: TLS is mandatory; with usable records ({@link DaneState.Authenticate}) the
     * server is authenticated by them instead of PKIX, without them ({@link DaneState.EncryptOnly})
     * the certificate is not checked for DANE's sake.
     */
    record Dane(DaneState state) implements ReceiverPolicy {
        public Dane {
            if (!(state instanceof DaneState.Authenticate) && !(state instanceof DaneState.EncryptOnly)) {
                throw new IllegalArgumentException("DANE requires nothing in state " + state);
            }
        }
    }

    /** MTA-STS {@code enforce}: TLS with a PKIX-valid certificate for the MX host's name. */
    record MtaStsEnforce(MtaStsPolicy policy) implements ReceiverPolicy {
    }

    default boolean requiresTls() {
        return !(this instanceof None);
    }

    /** The rule's name in events and logs; null for {@link None}, where the sender's policy decides. */
    default String source() {
        if (this instanceof Dane) {
            return SOURCE_DANE;
        }
        return this instanceof MtaStsEnforce ? SOURCE_MTA_STS : null;
    }
}
