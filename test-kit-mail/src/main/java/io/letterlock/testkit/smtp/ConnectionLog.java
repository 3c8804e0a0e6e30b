package io.letterlock.testkit.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The mutable record of one connection, written by its conversation thread and read by test threads
 * through {@link #snapshot()}; every method is synchronized so a snapshot is never torn.
 */
final class ConnectionLog {

    private final int id;
    private final List<ReceivedCommand> commands = new ArrayList<>();
    private String clientName;
    private boolean tls;
    private String tlsProtocol;
    private String tlsCipher;
    private boolean tlsResumed;
    private String tlsFailure;
    private boolean quit;
    private boolean closed;

    ConnectionLog(int id) {
        this.id = id;
    }

    int id() {
        return id;
    }

    /** Records a command with no reply yet; returns its index for {@link #replied}. */
    synchronized int commandReceived(String line, boolean cleartext, boolean moreInputBuffered) {
        commands.add(new ReceivedCommand(line, cleartext, moreInputBuffered, 0));
        return commands.size() - 1;
    }

    synchronized void replied(int commandIndex, int code) {
        ReceivedCommand command = commands.get(commandIndex);
        commands.set(commandIndex, new ReceivedCommand(command.line(), command.cleartext(),
                command.moreInputBuffered(), code));
    }

    synchronized void greeted(String clientName) {
        this.clientName = clientName;
    }

    synchronized void tlsEstablished(String protocol, String cipher, boolean resumed) {
        this.tls = true;
        this.tlsResumed = resumed;
        this.tlsProtocol = protocol;
        this.tlsCipher = cipher;
    }

    synchronized void tlsFailed(String failure) {
        this.tlsFailure = failure;
    }

    synchronized void quit() {
        this.quit = true;
    }

    synchronized void closed() {
        this.closed = true;
    }

    synchronized ReceivedConnection snapshot() {
        return new ReceivedConnection(id, clientName, tls, tlsProtocol, tlsCipher, tlsResumed, tlsFailure,
                commands, quit, closed);
    }
}
