package io.letterlock.testkit.smtp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything a server has seen, across connections; safe to read from any thread. */
final class ServerLog {

    private final List<ConnectionLog> connections = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();

    ConnectionLog connectionOpened() {
        ConnectionLog connection = new ConnectionLog(connectionIds.incrementAndGet());
        connections.add(connection);
        return connection;
    }

    /** Numbers a new mail transaction (1-based), at its accepted MAIL FROM. */
    int transactionStarted() {
        return transactions.incrementAndGet();
    }

    int transactionCount() {
        return transactions.get();
    }

    void accepted(ReceivedMessage message) {
        received.add(message);
    }

    List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    int receivedCount() {
        return received.size();
    }

    List<ReceivedConnection> connections() {
        return connections.stream().map(ConnectionLog::snapshot).toList();
    }

    int connectionCount() {
        return connections.size();
    }
}
