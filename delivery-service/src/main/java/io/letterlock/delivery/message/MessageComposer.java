package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.SendJob;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes the RFC 5322 message a job stands for: the bytes an SMTP client sends after DATA.
 *
 * <p>The same job always gives the same bytes, on every attempt and every replica configured with
 * the same {@link MessageConfig#idHost()}: the Date is the job's, not the clock's, and the MIME
 * boundaries are derived from the job id. Receivers and their duplicate filters see one message,
 * however often it is retried.
 *
 * <p>The job's {@code headers} carry the visible To and Cc lists written by intake
 * ({@link HeaderNames#TO}, {@link HeaderNames#CC}) and the sender's own headers. Names that
 * {@link HeaderNames#isReserved} or that are not field names are skipped, since a job may come from
 * any producer of the send-jobs topic, not only from intake.
 *
 * <p>The body is {@link MimeBody}'s: the text, followed by the job's attachments when it has any,
 * as an RFC 6522 multipart/report when the job names a report-type (events-service's TLS reports,
 * RFC 8460 §5.3). A message whose From domain has a DKIM key is signed ({@link DkimSigning}).
 */
@Singleton
public class MessageComposer {

    private static final String CRLF = "\r\n";
    /** RFC 5322 §3.3 date-time, in UTC, e.g. {@code Tue, 1 Jul 2025 10:52:37 +0000}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** RFC 5322 §3.2.3 dot-atom-text, the form of both halves of a msg-id (§3.6.4). */
    private static final Pattern DOT_ATOM_TEXT =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private final String idHost;
    private final DkimSigning dkim;

    @Inject
    public MessageComposer(MessageConfig config, DkimSigning dkim) {
        this(config.idHost().orElseGet(MessageComposer::machineName), dkim);
    }

    /** A composer that signs nothing. @param idHost the right-hand side of Message-IDs, a host name */
    public MessageComposer(String idHost) {
        this(idHost, DkimSigning.none());
    }

    public MessageComposer(String idHost, DkimSigning dkim) {
        if (!DOT_ATOM_TEXT.matcher(idHost).matches()) {
            throw new IllegalArgumentException("letterlock.message.id-host must be a host name: " + idHost);
        }
        this.idHost = idHost;
        this.dkim = dkim;
    }

    /**
     * The job's Message-ID with angle brackets, {@code <job_id@id-host>}: the {@code smtp-id} of its
     * events. A job id that is not dot-atom-text (intake's never are) is replaced by a digest of it.
     */
    public String messageId(SendJob job) {
        String left = DOT_ATOM_TEXT.matcher(job.jobId()).matches() ? job.jobId() : Digests.sha256Hex(job.jobId(), 16);
        return "<" + left + "@" + idHost + ">";
    }

    /**
     * @throws IllegalArgumentException when the job's content cannot be sent faithfully (a part that
     *                                  is not text/plain or text/html, or one of them twice), nor an
     *                                  attachment (a type that is not type/subtype or is composite, a
     *                                  Content-ID that is not one), or the job is a report without
     *                                  attachments; retrying will not help
     */
    public ComposedMessage compose(SendJob job) {
        String messageId = messageId(job);
        MimeBody body = MimeBody.of(job);
        StringBuilder message = new StringBuilder(4096);
        // RFC 5322 §3.6.1: the origination date is when the message entered the mail system, so it
        // stays the same across retries; a scheduled message dates from when it is due.
        Instant origination = job.sendAt() != null && job.sendAt().isAfter(job.createdAt())
                ? job.sendAt() : job.createdAt();
        message.append("Date: ").append(DATE.format(origination)).append(CRLF);
        message.append(address("From", job.from()));
        if (job.replyTo() != null) {
            message.append(address("Reply-To", job.replyTo()));
        }
        message.append(visibleRecipients(HeaderNames.TO, job).orElseGet(() -> address("To", job.to())));
        visibleRecipients(HeaderNames.CC, job).ifPresent(message::append);
        message.append(HeaderField.unstructured("Subject", job.subject()));
        message.append("Message-ID: ").append(messageId).append(CRLF);
        for (Map.Entry<String, String> header : job.headers().entrySet()) {
            if (HeaderNames.isFieldName(header.getKey()) && !HeaderNames.isReserved(header.getKey())) {
                message.append(HeaderField.unstructured(header.getKey(), header.getValue()));
            }
        }
        message.append(HeaderField.unstructured(HeaderNames.LETTERLOCK_MESSAGE_ID, job.messageId()));
        message.append("MIME-Version: 1.0").append(CRLF);
        message.append(body.headers()).append(CRLF);
        // Signed last, over the bytes as they are sent; the same job signs to the same bytes.
        return new ComposedMessage(messageId, dkim.sign(job, ascii(message, body.body())));
    }

    /**
     * The header text and the body's pieces in one array of exactly their size: the one copy of a
     * large body. Everything composed is ASCII (encoded words, quoted-printable, base64), one byte
     * per character.
     */
    private static byte[] ascii(CharSequence head, List<String> pieces) {
        long length = head.length() + pieces.stream().mapToLong(String::length).sum();
        byte[] bytes = new byte[Math.toIntExact(length)];
        int at = copy(head.toString(), bytes, 0);
        for (String piece : pieces) {
            at = copy(piece, bytes, at);
        }
        return bytes;
    }

    /**
     * String's own ASCII copy, which takes each character's low byte and needs no array of its own
     * (getBytes(US_ASCII) would make one per piece, a second copy of a large file).
     */
    @SuppressWarnings("deprecation")
    private static int copy(String ascii, byte[] into, int at) {
        ascii.getBytes(0, ascii.length(), into, at);
        return at + ascii.length();
    }

    private static String address(String name, EmailAddress address) {
        return HeaderField.structured(name, Mailboxes.headerMailbox(address)).orElseThrow(() ->
                new IllegalArgumentException("address cannot be written into a header: " + name));
    }

    /** The To or Cc list intake wrote into the job; a value that is not a clean ASCII list is ignored. */
    private static Optional<String> visibleRecipients(String name, SendJob job) {
        return job.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .findFirst()
                .flatMap(header -> HeaderField.structured(name, header.getValue()));
    }

    private static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return DOT_ATOM_TEXT.matcher(name).matches() ? name : "localhost.invalid";
        } catch (UnknownHostException e) {
            return "localhost.invalid";
        }
    }
}
