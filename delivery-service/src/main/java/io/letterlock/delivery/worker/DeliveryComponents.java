package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.delivery.attempt.SessionPool;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.letterlock.service.reach.ReceiverPolicyBuilder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;

/** Builds the delivery machinery once per service, from configuration. */
@ApplicationScoped
public class DeliveryComponents {

    private static final Logger LOG = Logger.getLogger(DeliveryComponents.class);

    @Produces
    @Singleton
    SmtpClient smtpClient(SmtpTimeoutsConfig timeouts, DeliveryConfig config, ReachConfig.Trust trust,
                          ReachConfig.Delivery reach, Clock clock) {
        CertificateVerifier verifier = ReceiverPolicyBuilder.mxCertificateVerifier(trust, clock);
        SmtpClient client = new SmtpClient(timeouts, verifier, ReachConfig.heloName(reach), config.ioThreads(),
                tlsProvider(config.tlsProvider()));
        LOG.infof("STARTTLS with %s's TLS", client.provider() == SslProvider.OPENSSL ? "BoringSSL" : "the JDK");
        return client;
    }

    private static SslProvider tlsProvider(String configured) {
        switch (configured.toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return SmtpClient.preferredProvider();
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("letterlock.delivery.tls-provider=openssl, but BoringSSL does not load"
                            + " here: " + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            default:
                throw new IllegalArgumentException("letterlock.delivery.tls-provider must be auto, openssl or jdk: "
                        + configured);
        }
    }

    void closeSmtpClient(@Disposes SmtpClient client) {
        client.close();
    }

    /**
     * The one consumer that keeps every view this service reads current (TLS settings, domain
     * policies, suppressions, batches, MTA-STS policies): one fetch per wait and one end-offsets
     * question a second for all of them, not one each.
     */
    @Produces
    @Singleton
    ViewReader viewReader(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new ViewReader("delivery-views", kafkaConfig);
    }

    void closeViewReader(@Disposes ViewReader reader) {
        reader.close();
    }

    @Produces
    @Singleton
    SessionPool sessionPool(DeliveryConfig config) {
        return new SessionPool(config.connectionIdleTime(), config.maxMessagesPerConnection(),
                config.connectionsPerAddress());
    }

    void closeSessionPool(@Disposes SessionPool pool) {
        pool.close();
    }

    @Produces
    @Singleton
    DeliveryAttempt deliveryAttempt(MxResolver resolver, SmtpClient client, SessionPool pool, DeliveryConfig config,
                                    AddressGuard guard, ReceiverPolicyLookup receivers) {
        return new DeliveryAttempt(resolver, client, pool, config.connectionsPerAddress(), config.maxHostsTried(),
                guard, receivers);
    }

    /** Where delivery may connect, MX hosts and MTA-STS policy hosts alike: one allow list. */
    @Produces
    @Singleton
    AddressGuard addressGuard(ReachConfig.Delivery reach) {
        return AddressGuard.allowing(reach.allow(), ReachConfig.ALLOW);
    }
}
