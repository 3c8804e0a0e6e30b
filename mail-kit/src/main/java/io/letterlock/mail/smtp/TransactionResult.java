package io.letterlock.mail.smtp;

/** How one MAIL/RCPT/DATA transaction ended, with the reply that decided it. */
public sealed interface TransactionResult {

    SmtpReply reply();

    /** The server took responsibility for the message (250 after the final dot). */
    record Accepted(SmtpReply reply) implements TransactionResult {
    }

    /** A 4xx: try again later. */
    record TransientFailure(SmtpReply reply) implements TransactionResult {
    }

    /** A 5xx (or a local 5xx, e.g. the message exceeds the server's SIZE): bounce. */
    record PermanentFailure(SmtpReply reply) implements TransactionResult {
    }

    static TransactionResult of(SmtpReply reply) {
        if (reply.isPositiveCompletion()) {
            return new Accepted(reply);
        }
        return reply.isTransientFailure() ? new TransientFailure(reply) : new PermanentFailure(reply);
    }
}
