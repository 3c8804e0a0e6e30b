package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.SuppressionBypass;
import io.letterlock.delivery.intake.service.JobSplitter;
import io.letterlock.delivery.intake.service.MailSendRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code asm} and {@code mail_settings.bypass_*} as the mail send body carries them, into every job
 * of the request ({@code SendJob.asmGroupId}, {@code SendJob.bypass}), where the worker's
 * suppression check reads them.
 */
class MailSendSuppressionSettingsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    private static List<SendJob> jobs(ObjectNode body) {
        MailSendRequest request = MailSendReader.read(body, NOW);
        return new JobSplitter(Duration.ofHours(72), () -> UUID.randomUUID().toString())
                .split(request, "acct-1", "msg-1", NOW);
    }

    @Test
    void asmGroupIdReachesEveryJobOfTheRequest() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        MailSendBodies.personalization(body, 0).withArray("to").addObject().put("email", "b@example.com");
        body.putObject("asm").put("group_id", 42).putArray("groups_to_display").add(42).add(43);

        assertThat(jobs(body)).hasSize(2).extracting(SendJob::asmGroupId).containsOnly(42);
    }

    @Test
    void enabledBypassSettingsReachTheJobAndDisabledOnesDoNot() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        ObjectNode settings = body.putObject("mail_settings");
        settings.putObject("bypass_bounce_management").put("enable", true);
        settings.putObject("bypass_unsubscribe_management").put("enable", true);
        settings.putObject("bypass_spam_management").put("enable", false);

        assertThat(jobs(body).get(0).bypass()).isEqualTo(Set.of(SuppressionBypass.BYPASS_BOUNCE_MANAGEMENT,
                SuppressionBypass.BYPASS_UNSUBSCRIBE_MANAGEMENT));
    }

    @Test
    void withoutAsmOrBypassAJobNamesNeither() {
        SendJob job = jobs(MailSendBodies.minimal("a@example.com")).get(0);

        assertThat(job.asmGroupId()).isNull();
        assertThat(job.bypass()).isEmpty();
    }

    @Test
    void anEmptyAsmIsNoAsm() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        body.putNull("asm");

        assertThat(jobs(body).get(0).asmGroupId()).isNull();
    }
}
