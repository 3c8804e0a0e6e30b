package io.letterlock.testkit.smtp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A message the server accepted (answered the end of DATA with 2xx).
 *
 * @param connectionId   the {@link ReceivedConnection#id()} it came on
 * @param transaction    the server-wide transaction number (1 for the first accepted MAIL FROM);
 *                       scripted failures count these
 * @param queueId        the id the server put in its 250 reply: {@code "250 2.0.0 Ok: queued as <queueId>"}
 * @param mailFrom       the reverse-path without angle brackets; empty for the null sender {@code <>}
 * @param mailParameters the MAIL FROM parameters as sent, e.g. {@code ["SIZE=1234", "BODY=8BITMIME"]}
 * @param recipients     the accepted forward-paths without angle brackets, in order
 * @param data           the content after dot-unstuffing (RFC 5321 §4.5.2), line endings exactly as
 *                       sent, without the terminating {@code .CRLF}
 * @param tls            true if TLS was active when it was sent
 * @param tlsProtocol    the TLS protocol of the connection; null without TLS
 * @param tlsCipher      the cipher suite; null without TLS
 * @param receivedAt     when the server accepted it
 */
public record ReceivedMessage(int connectionId, int transaction, String queueId, String mailFrom,
                              List<String> mailParameters, List<String> recipients, byte[] data,
                              boolean tls, String tlsProtocol, String tlsCipher, Instant receivedAt) {

    public ReceivedMessage {
        mailParameters = List.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        data = data.clone();
    }

    /** A copy of the content bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The content decoded as UTF-8 (what 8BITMIME/SMTPUTF8 content is in practice). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedMessage that
                && connectionId == that.connectionId && transaction == that.transaction
                && queueId.equals(that.queueId) && mailFrom.equals(that.mailFrom)
                && mailParameters.equals(that.mailParameters) && recipients.equals(that.recipients)
                && Arrays.equals(data, that.data) && tls == that.tls
                && Objects.equals(tlsProtocol, that.tlsProtocol)
                && Objects.equals(tlsCipher, that.tlsCipher)
                && receivedAt.equals(that.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionId, transaction, queueId, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ReceivedMessage[connection=" + connectionId + ", transaction=" + transaction
                + ", queueId=" + queueId + ", from=<" + mailFrom + ">, to=" + recipients
                + ", " + data.length + " bytes, tls=" + tls + (tls ? " " + tlsProtocol : "") + "]";
    }
}
