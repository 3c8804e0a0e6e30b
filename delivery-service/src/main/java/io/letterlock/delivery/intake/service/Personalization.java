package io.letterlock.delivery.intake.service;

import io.letterlock.contracts.EmailAddress;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One personalization of a request: who gets one copy of the message, and what differs for them.
 * Each of its to, cc and bcc recipients becomes a job of its own; the message shows to and cc.
 *
 * @param from       overrides the request's; null to use it
 * @param subject    overrides the request's; null to use it
 * @param headers    merged over the request's, this one winning per name
 * @param customArgs merged over the request's, this one winning per name
 * @param sendAt     overrides the request's; null to use it
 */
public record Personalization(
        List<EmailAddress> to,
        List<EmailAddress> cc,
        List<EmailAddress> bcc,
        EmailAddress from,
        String subject,
        Map<String, String> headers,
        Map<String, String> customArgs,
        Instant sendAt) {

    int recipientCount() {
        return to.size() + cc.size() + bcc.size();
    }
}
