package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What a {@link ContentRef} points to: the body and the files of one send request, in the shapes
 * of {@link SendJob#content()} and {@link SendJob#attachments()}.
 */
public record StoredContent(
        @JsonProperty("content") List<MailContent> content,
        @JsonProperty("attachments") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<MailAttachment> attachments) {

    public StoredContent {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("content must have at least one part");
        }
        content = List.copyOf(content);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
