package io.letterlock.delivery.message;

import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The MIME body of a message (RFC 2045, RFC 2046), or of one of its parts: the text is one text
 * part, or text/plain and text/html as multipart/alternative, plain first (RFC 2046 §5.1.4: the
 * last part is the preferred one). Inline files with a Content-ID, which the HTML shows as
 * {@code cid:} images, make a multipart/related with it (RFC 2387). With other attachments, that
 * is the first part of a multipart/mixed (RFC 2046 §5.1.3), or of a multipart/report (RFC 6522)
 * when the job is a report, and the attachments follow in the job's order.
 *
 * <p>The body is kept as the pieces it is made of (text, boundaries, each file's base64 lines) and
 * copied once, into the message's bytes, so that a message with a 30 MB file is not copied again at
 * every level of nesting.
 *
 * @param headers the Content-Type and Content-Transfer-Encoding header lines, each ending in CRLF
 * @param body    what follows the blank line after the headers, in pieces; together ending in CRLF
 */
record MimeBody(String headers, List<String> body) {

    MimeBody(String headers, String body) {
        this(headers, List.of(body));
    }

    private static final String CRLF = "\r\n";

    /**
     * The body of the job's message. The boundaries derive from the job id, a different one for
     * each level of nesting, so the same job gives the same bytes on every attempt.
     *
     * @throws IllegalArgumentException when the content cannot be sent faithfully (see
     *                                  {@link #of(List, String)}), an attachment cannot be (see
     *                                  {@link AttachmentPart#of}), or the job is a report without
     *                                  an attachment to be its machine-readable part
     */
    static MimeBody of(SendJob job) {
        // The text first: RFC 6522 §3 requires the human-readable part first in a report, and
        // readers show the first part of a multipart/mixed as the message. SendJob refuses a job
        // without content and of(List, String) anything but text, so there always is one.
        MimeBody text = of(job.content(), job.jobId());
        if (job.attachments().isEmpty() && job.reportType() == null) {
            return text; // as before attachments existed, byte for byte
        }
        if (job.reportType() != null && job.attachments().isEmpty()) {
            throw new IllegalArgumentException("a multipart/report needs a machine-readable part after the text "
                    + "(RFC 6522 §3), but the job of report_type " + job.reportType() + " has no attachments");
        }
        // RFC 2387: files the HTML shows (inline, named by a Content-ID it refers to as cid:) travel
        // with it in a multipart/related, so readers resolve them and do not list them as files.
        List<MimeBody> shown = new ArrayList<>();
        List<MimeBody> files = new ArrayList<>();
        for (MailAttachment attachment : job.attachments()) {
            (isShown(attachment) ? shown : files).add(AttachmentPart.of(attachment));
        }
        MimeBody first = text;
        if (!shown.isEmpty()) {
            List<MimeBody> related = new ArrayList<>(1 + shown.size());
            related.add(text);
            related.addAll(shown);
            first = multipart("multipart/related; type=\"" + text.baseType() + "\"", job.jobId() + "/related", related);
        }
        if (files.isEmpty() && job.reportType() == null) {
            return first;
        }
        List<MimeBody> parts = new ArrayList<>(1 + files.size());
        parts.add(first);
        parts.addAll(files);
        return job.reportType() == null
                ? multipart("multipart/mixed", job.jobId() + "/mixed", parts)
                : multipart("multipart/report; report-type=" + job.reportType(), job.jobId() + "/report", parts);
    }

    private static boolean isShown(MailAttachment attachment) {
        return MailAttachment.INLINE.equalsIgnoreCase(attachment.disposition()) && attachment.contentId() != null
                && !attachment.contentId().isBlank();
    }

    /** The media type of this body, without parameters, e.g. {@code multipart/alternative}. */
    String baseType() {
        String type = headers.substring("Content-Type: ".length());
        int end = type.indexOf(';');
        return (end < 0 ? type.substring(0, type.indexOf('\r')) : type.substring(0, end)).strip();
    }

    /**
     * @param boundarySeed makes the boundary; the same seed and content give the same bytes
     * @throws IllegalArgumentException for a part that is not text/plain or text/html, or a type
     *                                  given twice: there is no faithful way to send those
     */
    static MimeBody of(List<MailContent> content, String boundarySeed) {
        MailContent plain = null;
        MailContent html = null;
        for (MailContent part : content) {
            String type = part.type().strip().toLowerCase(Locale.ROOT);
            if (type.equals(MailContent.TEXT_PLAIN) && plain == null) {
                plain = part;
            } else if (type.equals(MailContent.TEXT_HTML) && html == null) {
                html = part;
            } else {
                throw new IllegalArgumentException("cannot compose a content part of type " + part.type()
                        + " (only one text/plain and one text/html)");
            }
        }
        if (plain == null || html == null) {
            MailContent only = plain != null ? plain : html;
            return textPart(only.type().strip().toLowerCase(Locale.ROOT), only);
        }
        return multipart("multipart/alternative", boundarySeed,
                List.of(textPart(MailContent.TEXT_PLAIN, plain), textPart(MailContent.TEXT_HTML, html)));
    }

    /** This body as a part of a multipart: its headers, the blank line, its body. */
    List<String> asPart() {
        List<String> part = new ArrayList<>(body.size() + 1);
        part.add(headers + CRLF);
        part.addAll(body);
        return part;
    }

    /** The number of characters of the body, all pieces together. */
    int bodyLength() {
        return body.stream().mapToInt(String::length).sum();
    }

    private static MimeBody textPart(String type, MailContent content) {
        EncodedBody encoded = EncodedBody.of(content.value());
        return new MimeBody(partHeaders(type, encoded), encoded.text() + CRLF);
    }

    private static String partHeaders(String type, EncodedBody encoded) {
        return "Content-Type: " + type + "; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: " + encoded.transferEncoding() + CRLF;
    }

    /**
     * Each part's body ends in CRLF, which RFC 2046 §5.1.1 counts as part of the delimiter after
     * it, so the part's content ends where the sender's did.
     *
     * @param contentType the multipart type and any parameters but the boundary
     */
    private static MimeBody multipart(String contentType, String boundarySeed, List<MimeBody> parts) {
        List<List<String>> encapsulated = parts.stream().map(MimeBody::asPart).toList();
        String boundary = boundaryAbsentFrom(boundarySeed, encapsulated);
        List<String> body = new ArrayList<>();
        for (List<String> part : encapsulated) {
            body.add("--" + boundary + CRLF);
            body.addAll(part);
        }
        body.add("--" + boundary + "--" + CRLF);
        String firstLine = "Content-Type: " + contentType + ";";
        if (firstLine.length() > TextLines.MAX_LINE_LENGTH) {
            throw new IllegalArgumentException("Content-Type too long for a header line: " + contentType);
        }
        return new MimeBody(firstLine + CRLF + " boundary=\"" + boundary + "\"" + CRLF, List.copyOf(body));
    }

    /**
     * RFC 2046 §5.1.1: the boundary must not occur in any part, headers included (a file name
     * could hold one). It starts with "=_", which neither quoted-printable nor base64 ever
     * produces, and is checked against the rest; a nested multipart's own boundary is in its part,
     * so the levels never share one. It is derived from the seed rather than random so that a
     * job composes to the same bytes on every attempt.
     */
    private static String boundaryAbsentFrom(String seed, List<List<String>> parts) {
        for (int n = 0; ; n++) {
            String boundary = "=_letterlock_" + Digests.sha256Hex(seed + "/" + n, 12);
            boolean absent = true;
            for (List<String> part : parts) {
                for (String piece : part) {
                    // Pieces end at line ends (every one ends in CRLF), so a boundary, which is
                    // looked for at the start of a line, never spans two of them.
                    absent &= !piece.contains(boundary);
                }
            }
            if (absent) {
                return boundary;
            }
        }
    }
}
