package io.letterlock.faults;

import io.letterlock.faults.harness.Counts;
import io.letterlock.faults.harness.EventLog;
import io.letterlock.faults.harness.Jobs;
import io.letterlock.faults.harness.KafkaBroker;
import io.letterlock.faults.harness.MailApi;
import io.letterlock.faults.harness.MailServers;
import io.letterlock.faults.harness.PacedSender;
import io.letterlock.faults.harness.Rig;
import io.letterlock.faults.harness.ServiceNode;
import io.letterlock.testkit.accounts.TestAccounts;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/**
 * The Kafka broker is killed (SIGKILL) mid-run and started again on the same ports and data a few
 * seconds later, while two delivery-service replicas deliver and a client keeps sending (its
 * requests get 503 meanwhile and are sent again). Nothing is lost, and the services carry on by
 * themselves: the same processes, ready and live again (a failed liveness check would have an
 * orchestrator restart them), delivering what was sent before, during and after the outage.
 */
class BrokerKillIT {

    private static final int JOBS = 2000;
    private static final Duration BROKER_DOWN = Duration.ofSeconds(8);

    @RegisterExtension
    final Rig rig = new Rig("broker-kill");

    @Test
    void aBrokerKilledAndRestartedMidRunLosesNothingAndTheServicesRecoverByThemselves() {
        KafkaBroker broker = rig.ownBroker();
        MailServers mx = rig.mailServers().addDomains("broker", 4, 3, Duration.ofMillis(20));
        Map<String, String> config = rig.deliveryConfig(mx);
        ServiceNode a = rig.delivery("replica-a", config);
        ServiceNode b = rig.delivery("replica-b", config);
        rig.startAll(a, b);
        rig.awaitDeliveryGroup(2);
        long pidA = a.pid();
        long pidB = b.pid();
        EventLog events = rig.eventLog();
        Jobs jobs = new Jobs(Jobs.recipients("broker", JOBS, mx.domains()), mx, events);

        MailApi api = new MailApi(a::baseUrl, TestAccounts.account(4));
        PacedSender sender = rig.own(new PacedSender("broker", api, jobs.recipients(), 20, 150, null)).start();
        rig.awaitUntil(Duration.ofSeconds(60), () -> mx.receivedCount() >= JOBS * 3 / 10);
        rig.note("broker killed (SIGKILL) at " + mx.receivedCount() + " received, " + sender.sent() + " sent");
        broker.kill();
        rig.pause(BROKER_DOWN);
        int receivedWhileDown = mx.receivedCount();
        broker.start();
        rig.note("broker back after " + BROKER_DOWN.toSeconds() + " s (" + receivedWhileDown + " received by then)");

        sender.awaitDone(Duration.ofSeconds(180));
        boolean all = jobs.awaitAll(rig, Duration.ofSeconds(45));
        Counts counts = jobs.counts();
        rig.report(counts);
        long withoutFinal = jobs.recipients().stream()
                .filter(r -> !events.finalsByRecipient().containsKey(r)).count();
        boolean ready = rig.awaitUntil(Duration.ofSeconds(30), () -> a.readiness() == 200 && b.readiness() == 200);
        boolean live = a.liveness() == 200 && b.liveness() == 200;
        rig.note("jobs without a final event: " + withoutFinal + "; requests sent again after a 503 or no connection: "
                + api.retries() + " (of them possibly stored already: " + api.ambiguousRetries() + "); replicas ready again: "
                + ready + ", live: " + live);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(all).as("every job arrived and ended within the time allowed").isTrue();
        softly.assertThat(counts.lost()).as("jobs lost (never reached an SMTP server)").isZero();
        softly.assertThat(withoutFinal).as("jobs without a final event").isZero();
        softly.assertThat(a.isAlive() && a.pid() == pidA).as("replica-a is the process started before the fault").isTrue();
        softly.assertThat(b.isAlive() && b.pid() == pidB).as("replica-b is the process started before the fault").isTrue();
        softly.assertThat(ready).as("both replicas report ready again").isTrue();
        softly.assertThat(live).as("both replicas report live (none asks to be restarted)").isTrue();
        softly.assertAll();
    }
}
