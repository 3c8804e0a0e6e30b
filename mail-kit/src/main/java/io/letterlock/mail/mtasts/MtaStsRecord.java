package io.letterlock.mail.mtasts;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a domain's {@code _mta-sts} TXT record says (RFC 8461 §3.1): a policy exists with this id,
 * there is none, or DNS could not tell now.
 *
 * <p>The record only announces a policy and names its version; the policy itself is fetched over
 * HTTPS ({@link PolicyFetcher}) and a changed id is the signal to fetch it again (RFC 8461 §3.1,
 * §5.1).
 */
public sealed interface MtaStsRecord {

    /** RFC 8461 §3.1: {@code sts-id = %s"id=" 1*32(ALPHA / DIGIT)}. */
    Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    /** A policy exists; {@code id} names its version. */
    record Present(String id) implements MtaStsRecord {
        public Present {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("an MTA-STS id is 1 to 32 letters and digits, not '" + id + "'");
            }
        }
    }

    /**
     * The domain publishes no usable record: none, none starting with {@code v=STSv1}, several, or
     * one that is malformed. Each means "no policy available" (RFC 8461 §3.1).
     */
    record Absent(String reason) implements MtaStsRecord {
        public Absent {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** DNS could not answer now (SERVFAIL, timeout): the domain may well have a policy. */
    record TemporaryFailure(String reason) implements MtaStsRecord {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Reads the TXT records found at {@code _mta-sts.<domain>}, each given as its character-strings
     * concatenated (RFC 7208 §3.3 reads TXT the same way).
     *
     * <p>RFC 8461 §3.1: records that do not begin with {@code v=STSv1} are discarded (SPF and
     * verification tokens may share the name); if not exactly one is left, or that one is
     * syntactically invalid, the domain has no available policy.
     */
    static MtaStsRecord fromTxt(List<String> records) {
        List<String> candidates = records.stream().filter(RecordSyntax::startsWithVersion).toList();
        if (candidates.isEmpty()) {
            return new Absent(records.isEmpty()
                    ? "no TXT record"
                    : "no TXT record starts with v=STSv1 (" + records.size() + " other" + (records.size() == 1 ? "" : "s") + ")");
        }
        if (candidates.size() > 1) {
            // RFC 8461 §3.1: "If the number of resulting records is not one ... senders MUST assume
            // the recipient domain does not have an available MTA-STS Policy".
            return new Absent(candidates.size() + " TXT records start with v=STSv1; exactly one is allowed");
        }
        return RecordSyntax.parse(candidates.get(0));
    }
}
