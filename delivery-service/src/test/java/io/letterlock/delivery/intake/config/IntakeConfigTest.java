package io.letterlock.delivery.intake.config;

import io.letterlock.delivery.intake.service.MailSendRequest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds' defaults, as README and application.properties document them. */
class IntakeConfigTest {

    private static IntakeConfig defaults() {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(IntakeConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(), "test", 300))
                .build()
                .getConfigMapping(IntakeConfig.class);
    }

    @Test
    void aRequestMayWrite128MibOfRecords() {
        assertThat(defaults().maxRequestRecordsSize().asLongValue()).isEqualTo(128L << 20);
    }

    @Test
    void anAccountMaySend1000RecipientsAnd64MibASecondWithTenSecondsOfBurstAndTenRequestsAtOnce() {
        IntakeConfig.PerAccount perAccount = defaults().perAccount();

        assertThat(perAccount.messagesPerSecond()).isEqualTo(1000);
        assertThat(perAccount.messageBurst()).isEqualTo(10_000);
        assertThat(perAccount.bytesPerSecond().asLongValue()).isEqualTo(64L << 20);
        assertThat(perAccount.byteBurst().asLongValue()).isEqualTo(640L << 20);
        assertThat(perAccount.maxRequestsInProgress()).isEqualTo(10);
    }

    @Test
    void theByteBurstTakesTheLargestRequest() {
        IntakeConfig config = defaults();

        assertThat(config.perAccount().byteBurst().asLongValue()).isGreaterThanOrEqualTo(config.maxRequestRecordsSize().asLongValue());
        assertThat(config.perAccount().messageBurst()).isGreaterThanOrEqualTo(MailSendRequest.MAX_RECIPIENTS);
    }
}
