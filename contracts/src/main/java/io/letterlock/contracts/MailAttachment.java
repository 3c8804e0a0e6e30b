package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Base64;
import java.util.Objects;

/**
 * One file sent with a message, in the shape of an element of SendGrid's v3 {@code attachments}
 * array, so that a request could one day be copied into a job as {@code content} is.
 *
 * <p>The bytes travel as base64 text rather than as a byte array so that the record compares by
 * value and the JSON is SendGrid's.
 *
 * @param content     the file's bytes in base64: RFC 4648 §4, standard alphabet, padded, no line
 *                    breaks (delivery writes its own 76-character lines, RFC 2045 §6.8)
 * @param type        the MIME type, e.g. {@code application/pdf}; null when unknown, sent then as
 *                    {@code application/octet-stream}
 * @param filename    the name the recipient sees; any Unicode text
 * @param disposition {@link #ATTACHMENT} (null reads as that) or {@link #INLINE}
 * @param contentId   optional, for an inline file an HTML part refers to as {@code cid:…} (RFC 2392)
 */
public record MailAttachment(
        @JsonProperty("content") String content,
        @JsonProperty("type") String type,
        @JsonProperty("filename") String filename,
        @JsonProperty("disposition") String disposition,
        @JsonProperty("content_id") String contentId) {

    public static final String ATTACHMENT = "attachment";
    public static final String INLINE = "inline";

    public MailAttachment {
        if (content == null) {
            throw new IllegalArgumentException("attachment content must be given (base64 of the file)");
        }
        if (filename == null || filename.isBlank()) {
            throw new IllegalArgumentException("attachment filename must be given and not blank");
        }
        disposition = disposition == null ? ATTACHMENT : disposition;
        if (!disposition.equals(ATTACHMENT) && !disposition.equals(INLINE)) {
            throw new IllegalArgumentException("attachment disposition must be attachment or inline, not "
                    + disposition + " (" + filename + ")");
        }
        requireBase64(content, filename);
    }

    /** A file sent as an attachment. */
    public static MailAttachment of(byte[] bytes, String type, String filename) {
        return new MailAttachment(Base64.getEncoder().encodeToString(bytes), type, filename, ATTACHMENT, null);
    }

    /** A file shown in the message, e.g. an image an HTML part refers to as {@code cid:contentId}. */
    public static MailAttachment inline(byte[] bytes, String type, String filename, String contentId) {
        Objects.requireNonNull(contentId, "contentId");
        return new MailAttachment(Base64.getEncoder().encodeToString(bytes), type, filename, INLINE, contentId);
    }

    /** The file's bytes, decoded from {@link #content()}. */
    @JsonIgnore
    public byte[] bytes() {
        return Base64.getDecoder().decode(content);
    }

    /**
     * Java's decoder already refuses line breaks and the URL-safe alphabet; padding it merely
     * accepts, so that is checked here: every standard encoder, SendGrid's clients among them,
     * writes it, and a consumer with a stricter decoder must be able to read the job.
     */
    private static void requireBase64(String content, String filename) {
        String problem = null;
        if (content.length() % 4 != 0) {
            problem = "its length is not a multiple of 4 (missing padding?)";
        } else {
            try {
                Base64.getDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("attachment content of " + filename
                    + " is not base64 (standard alphabet, padded, no line breaks): " + problem);
        }
    }
}
