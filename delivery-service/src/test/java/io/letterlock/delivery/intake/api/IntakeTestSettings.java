package io.letterlock.delivery.intake.api;

import io.letterlock.testkit.kafka.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Small limits, so the 413 cases need no 30 MiB bodies; a fixed Message-ID host; transactional ids
 * of its own; and no delivery worker or retry scheduler, so the jobs a test publishes stay where
 * the test reads them.
 */
public class IntakeTestSettings implements QuarkusTestResourceLifecycleManager {

    static final String ID_HOST = "mta.letterlock.test";
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final int MAX_RECORD_BYTES = 64 * 1024;
    static final int MAX_REQUEST_RECORDS_BYTES = 2 * 1024 * 1024;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "letterlock.intake.max-body-size", String.valueOf(MAX_BODY_BYTES),
                "letterlock.intake.max-record-size", String.valueOf(MAX_RECORD_BYTES),
                "letterlock.intake.max-request-records-size", String.valueOf(MAX_REQUEST_RECORDS_BYTES),
                // Content is copied into each job up to twice a record, so the 413 cases above still
                // meet a job too large; stored content is tested end to end (MailSendStoredContentTest).
                "letterlock.content.store-above", String.valueOf(2 * MAX_RECORD_BYTES),
                "letterlock.content.chunk-size", String.valueOf(MAX_RECORD_BYTES / 2),
                "letterlock.message.id-host", ID_HOST,
                // Several test applications run in one JVM; each needs transactional ids of its own.
                "letterlock.intake.transactional-id-prefix", TestKafka.uniqueTopic("intake"),
                "letterlock.delivery.enabled", "false",
                "letterlock.retry.scheduler.enabled", "false");
    }

    @Override
    public void stop() {
    }
}
