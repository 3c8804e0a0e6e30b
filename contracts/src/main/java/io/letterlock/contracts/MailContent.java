package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * One body part of a message, as in SendGrid's {@code content} array.
 *
 * @param type  the MIME type, e.g. {@code text/plain} or {@code text/html}
 * @param value the body in that type
 */
public record MailContent(
        @JsonProperty("type") String type,
        @JsonProperty("value") String value) {

    public static final String TEXT_PLAIN = "text/plain";
    public static final String TEXT_HTML = "text/html";

    public MailContent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static MailContent plain(String text) {
        return new MailContent(TEXT_PLAIN, text);
    }

    public static MailContent html(String html) {
        return new MailContent(TEXT_HTML, html);
    }
}
