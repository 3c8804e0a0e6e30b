package io.letterlock.delivery.message;

import io.letterlock.contracts.MailAttachment;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One attachment as a body part: Content-Type with the file's name, Content-Disposition (RFC 2183),
 * Content-ID when it has one (RFC 2392), and the bytes in base64, which keeps the message 7-bit
 * whatever the file holds.
 */
public final class AttachmentPart {

    private static final String CRLF = "\r\n";
    /** What a file of unknown type is sent as (RFC 2046 §4.5.1). */
    static final String DEFAULT_TYPE = "application/octet-stream";
    /**
     * RFC 2045 §5.1: type "/" subtype, both tokens, no parameters (the part's own are written here);
     * RFC 6838 §4.2 caps each name at 127 characters, which keeps the line short.
     */
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[!#$%&'*+.^_`{|}~0-9A-Za-z-]{1,127}/[!#$%&'*+.^_`{|}~0-9A-Za-z-]{1,127}");
    /** RFC 2045 §6.8: encoded lines are at most 76 characters. */
    private static final int LINE = 76;

    private AttachmentPart() {
    }

    /**
     * @throws IllegalArgumentException for a type that is not a plain MIME type, a multipart or
     *                                  message type (RFC 2045 §6.4: never base64, and the file is
     *                                  not ours to take apart), or a Content-ID that cannot be a msg-id
     */
    static MimeBody of(MailAttachment attachment) {
        String type = typeOf(attachment);
        StringBuilder headers = new StringBuilder(256);
        headers.append("Content-Type: ").append(type).append(';').append(CRLF)
                .append(MimeParameter.lines("name", attachment.filename())).append(CRLF);
        headers.append("Content-Disposition: ").append(attachment.disposition()).append(';').append(CRLF)
                .append(MimeParameter.lines("filename", attachment.filename())).append(CRLF);
        if (attachment.contentId() != null) {
            headers.append("Content-ID: <").append(contentId(attachment)).append('>').append(CRLF);
        }
        headers.append("Content-Transfer-Encoding: base64").append(CRLF);
        return new MimeBody(headers.toString(), inLines(attachment.content()));
    }

    /**
     * The file's base64 as it came (MailAttachment holds standard, padded base64 without line
     * breaks) cut into lines of 76 characters (RFC 2045 §6.8): the same text a MIME encoder makes of
     * the decoded bytes, without decoding and encoding a file again for every recipient.
     */
    static String inLines(String base64) {
        if (base64.isEmpty()) {
            return CRLF;
        }
        StringBuilder lines = new StringBuilder(base64.length() + (base64.length() / LINE + 1) * CRLF.length());
        for (int from = 0; from < base64.length(); from += LINE) {
            lines.append(base64, from, Math.min(base64.length(), from + LINE)).append(CRLF);
        }
        return lines.toString();
    }

    /**
     * Why this attachment could not be composed, checked without encoding it: so that intake
     * refuses with 400 what delivery would otherwise have to dead-letter.
     */
    public static Optional<String> problem(MailAttachment attachment) {
        try {
            typeOf(attachment);
            if (attachment.contentId() != null) {
                contentId(attachment);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static String typeOf(MailAttachment attachment) {
        if (attachment.type() == null) {
            return DEFAULT_TYPE;
        }
        String type = attachment.type().strip();
        if (!MEDIA_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("attachment " + attachment.filename()
                    + " has a type that is not type/subtype: " + attachment.type());
        }
        String lower = type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/") || lower.startsWith("message/")) {
            throw new IllegalArgumentException("attachment " + attachment.filename()
                    + " cannot be sent as " + type + " (RFC 2045 §6.4: composite types are never base64)");
        }
        return type;
    }

    /**
     * The id between the angle brackets, which the sender may have written or left out (SendGrid's
     * {@code content_id} usually has none). Printable ASCII without space or brackets, so that it is
     * one token of a msg-id (RFC 5322 §3.6.4) and the HTML's {@code cid:} reference can match it.
     */
    private static String contentId(MailAttachment attachment) {
        String id = attachment.contentId().strip();
        if (id.length() >= 2 && id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        boolean valid = !id.isEmpty() && id.length() <= TextLines.MAX_LINE_LENGTH - "Content-ID: <>".length();
        for (int i = 0; valid && i < id.length(); i++) {
            char c = id.charAt(i);
            valid = c > 0x20 && c < 0x7F && c != '<' && c != '>';
        }
        if (!valid) {
            throw new IllegalArgumentException("attachment " + attachment.filename()
                    + " has a content_id that cannot be a Content-ID: " + attachment.contentId());
        }
        return id;
    }
}
