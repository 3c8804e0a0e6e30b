package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A mailbox with an optional display name, shaped like SendGrid's {@code {"email", "name"}} objects
 * so a v3 send request maps onto a {@link SendJob} field by field.
 *
 * @param email the address as given by the sender; not normalised, because the local part is
 *              case-sensitive (RFC 5321 §2.4)
 * @param name  the display name, or null
 */
public record EmailAddress(
        @JsonProperty("email") String email,
        @JsonProperty("name") String name) {

    public EmailAddress {
        Objects.requireNonNull(email, "email");
    }

    public static EmailAddress of(String email) {
        return new EmailAddress(email, null);
    }
}
