package io.letterlock.testkit.smtp;

import io.letterlock.testkit.tls.ServerCertificate;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link TestSmtpServer.Builder} was told, frozen for the server's conversations.
 * {@code tlsContext} is made once per server, as a real MX keeps one: its sessions can be resumed
 * by a client that reconnects to the same server, and only to it.
 */
record ServerBehaviour(
        String hostname,
        StartTlsMode startTls,
        ScriptedReply startTlsRefusal,
        String startTlsInjection,
        ServerCertificate certificate,
        SSLContext tlsContext,
        List<String> tlsProtocols,
        ScriptedReply ehloRejection,
        EndlessReply endlessEhloReply,
        boolean pipelining,
        boolean chunking,
        boolean eightBitMime,
        boolean smtpUtf8,
        boolean requireTls,
        long maxMessageSize,
        ReplyScript rcptScript,
        ReplyScript dataScript,
        Map<String, ScriptedReply> rejectedRecipients,
        boolean stallBeforeGreeting,
        boolean stallAfterData,
        int silentAfterMessages,
        Duration queueTime,
        Duration readTimeout,
        int maxConnections) {

    ServerBehaviour {
        tlsProtocols = List.copyOf(tlsProtocols);
        rejectedRecipients = Map.copyOf(rejectedRecipients);
        if ((startTls == StartTlsMode.OFFERED || startTls == StartTlsMode.INJECTS) && certificate == null) {
            throw new IllegalStateException("STARTTLS offered without a certificate");
        }
    }

    boolean advertisesSize() {
        return maxMessageSize > 0;
    }
}
