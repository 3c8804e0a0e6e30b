package io.letterlock.testkit.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened on one client connection, as a snapshot taken when a test asks
 * ({@link TestSmtpServer#connections()}); a later snapshot of a still-open connection may hold more.
 *
 * @param id          1 for the server's first connection, counting up
 * @param clientName  the argument of the client's last accepted EHLO or HELO; null if none
 * @param tls         true once a STARTTLS handshake completed
 * @param tlsProtocol the negotiated protocol ({@code "TLSv1.3"}); null without TLS
 * @param tlsCipher   the negotiated cipher suite; null without TLS
 * @param tlsResumed  true if the handshake resumed an earlier session, so the server presented no
 *                    certificate; false for a full handshake or without TLS
 * @param tlsFailure  why the server's side of a STARTTLS handshake failed (the exception's text,
 *                    e.g. a fatal alert the client sent because it refused the certificate);
 *                    null if no handshake failed
 * @param commands    every command line in the order received
 * @param quit        true if the client ended with QUIT (and got 221) rather than just closing
 * @param closed      true once the connection has ended, whoever ended it
 */
public record ReceivedConnection(int id, String clientName, boolean tls, String tlsProtocol, String tlsCipher,
                                 boolean tlsResumed, String tlsFailure, List<ReceivedCommand> commands, boolean quit,
                                 boolean closed) {

    public ReceivedConnection {
        commands = List.copyOf(commands);
    }

    /** The verbs only, in order: {@code [EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA, QUIT]}. */
    public List<String> verbs() {
        return commands.stream().map(ReceivedCommand::verb).toList();
    }

    /** The command lines as sent, in order: for what a verb alone does not show, e.g. MAIL's parameters. */
    public List<String> commandLines() {
        return commands.stream().map(ReceivedCommand::line).toList();
    }

    /** Commands that arrived before TLS was active. */
    public List<ReceivedCommand> cleartextCommands() {
        return commands.stream().filter(ReceivedCommand::cleartext).toList();
    }

    /**
     * True if any MAIL, RCPT, DATA or BDAT came in cleartext. Message content can only follow
     * DATA/BDAT, so false means no envelope and no message byte crossed the wire unencrypted.
     */
    public boolean sentMailTransactionInCleartext() {
        return commands.stream().anyMatch(c -> c.cleartext() && c.isMailTransactionCommand());
    }

    /**
     * True if, in at least one transaction, the client sent MAIL and all its RCPTs as a group
     * (RFC 2920 §3.1): MAIL and every RCPT up to the DATA (or the next non-RCPT command) were each
     * read while the next command was already buffered. See
     * {@link ReceivedCommand#moreInputBuffered()} for what that does and does not prove.
     */
    public boolean pipelinedMailTransaction() {
        for (List<ReceivedCommand> group : envelopeGroups()) {
            if (group.stream().allMatch(ReceivedCommand::moreInputBuffered)) {
                return true;
            }
        }
        return false;
    }

    /** Each MAIL command with the RCPT commands that follow it. */
    private List<List<ReceivedCommand>> envelopeGroups() {
        List<List<ReceivedCommand>> groups = new ArrayList<>();
        List<ReceivedCommand> current = null;
        for (ReceivedCommand command : commands) {
            String verb = command.verb();
            if (verb.equals("MAIL")) {
                current = new ArrayList<>();
                current.add(command);
                groups.add(current);
            } else if (verb.equals("RCPT") && current != null) {
                current.add(command);
            } else {
                current = null;
            }
        }
        return groups;
    }
}
