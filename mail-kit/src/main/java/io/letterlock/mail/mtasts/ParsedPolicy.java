package io.letterlock.mail.mtasts;

import java.util.Objects;

/** A policy body read: a policy, or why it is not one (TLS-RPT's {@code sts-policy-invalid}). */
public sealed interface ParsedPolicy {

    record Valid(MtaStsPolicy policy) implements ParsedPolicy {
        public Valid {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** @param reason for logs and reports, e.g. {@code line 2: mode 'Enforce' is not enforce, testing or none} */
    record Invalid(String reason) implements ParsedPolicy {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
