package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.delivery.message.AttachmentPart;
import io.letterlock.service.api.JsonFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code attachments}: SendGrid's array of files, each {@code content} (base64), {@code filename},
 * and optionally {@code type}, {@code disposition} ({@code attachment} or {@code inline}) and
 * {@code content_id}. Every problem is reported with its path; what passes here composes
 * ({@link AttachmentPart#problem}), so no job of the request is dead-lettered for its files.
 */
final class AttachmentsReader {

    private static final List<String> FIELDS = List.of("content", "type", "filename", "disposition", "content_id");

    private AttachmentsReader() {
    }

    static List<MailAttachment> read(JsonNode node, JsonFields fields) {
        List<MailAttachment> attachments = new ArrayList<>();
        Optional<JsonNode> array = fields.array(node, "attachments");
        if (array.isEmpty()) {
            return attachments;
        }
        for (int i = 0; i < array.get().size(); i++) {
            readOne(array.get().get(i), JsonFields.path("attachments", i), fields).ifPresent(attachments::add);
        }
        return attachments;
    }

    private static Optional<MailAttachment> readOne(JsonNode node, String path, JsonFields fields) {
        if (!node.isObject()) {
            fields.problem(path, path + " must be an object with content and filename");
            return Optional.empty();
        }
        fields.refuseUnknown(node, path, FIELDS);
        String contentPath = JsonFields.path(path, "content");
        String filenamePath = JsonFields.path(path, "filename");
        String dispositionPath = JsonFields.path(path, "disposition");
        Optional<String> content = fields.text(node.get("content"), contentPath);
        Optional<String> filename = fields.text(node.get("filename"), filenamePath);
        Optional<String> type = fields.text(node.get("type"), JsonFields.path(path, "type")).filter(t -> !t.isBlank());
        Optional<String> disposition = fields.text(node.get("disposition"), dispositionPath).filter(d -> !d.isBlank());
        Optional<String> contentId = fields.text(node.get("content_id"), JsonFields.path(path, "content_id"))
                .filter(id -> !id.isBlank());
        if (content.isEmpty() || content.get().isEmpty()) {
            if (content.isPresent() || fields.isAbsent(node.get("content"))) {
                fields.problem(contentPath, contentPath + " is required: the file's bytes in base64");
            }
            return Optional.empty();
        }
        if (filename.isEmpty() || filename.get().isBlank()) {
            if (filename.isPresent() || fields.isAbsent(node.get("filename"))) {
                fields.problem(filenamePath, filenamePath + " is required and must not be blank");
            }
            return Optional.empty();
        }
        if (disposition.isPresent() && !disposition.get().equals(MailAttachment.ATTACHMENT)
                && !disposition.get().equals(MailAttachment.INLINE)) {
            fields.problem(dispositionPath, dispositionPath + " must be attachment or inline");
            return Optional.empty();
        }
        MailAttachment attachment;
        try {
            attachment = new MailAttachment(content.get(), type.orElse(null), filename.get(), disposition.orElse(null),
                    contentId.orElse(null));
        } catch (IllegalArgumentException e) {
            // The only check left to the record is the base64 itself.
            fields.problem(contentPath, contentPath + " must be base64 (RFC 4648, standard alphabet, padded, "
                    + "no line breaks): " + e.getMessage());
            return Optional.empty();
        }
        Optional<String> problem = AttachmentPart.problem(attachment);
        if (problem.isPresent()) {
            fields.problem(path, problem.get());
            return Optional.empty();
        }
        return Optional.of(attachment);
    }
}
