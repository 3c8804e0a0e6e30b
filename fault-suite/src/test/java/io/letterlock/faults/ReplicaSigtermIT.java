package io.letterlock.faults;

import io.letterlock.faults.harness.Counts;
import io.letterlock.faults.harness.Jobs;
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
 * One of two delivery-service replicas gets SIGTERM mid-run, as a deployment or a scale-down stops
 * it: it finishes what it has in delivery and leaves, the other takes over, and not one message
 * reaches its SMTP server twice.
 */
class ReplicaSigtermIT {

    private static final int JOBS = 2000;
    /**
     * How long each SMTP server holds a message before its 250: at 150 messages a second about
     * fifteen jobs are inside a transaction at any moment, so the fault always lands on some.
     */
    private static final Duration IN_TRANSACTION = Duration.ofMillis(100);

    @RegisterExtension
    final Rig rig = new Rig("replica-sigterm");

    @Test
    void aReplicaStoppedWithSigtermMidRunSendsNothingTwice() {
        rig.sharedBroker();
        MailServers mx = rig.mailServers().addDomains("sigterm", 4, 3, IN_TRANSACTION);
        Map<String, String> config = rig.deliveryConfig(mx);
        ServiceNode a = rig.delivery("replica-a", config);
        ServiceNode b = rig.delivery("replica-b", config);
        rig.startAll(a, b);
        rig.awaitDeliveryGroup(2);
        Jobs jobs = new Jobs(Jobs.recipients("sigterm", JOBS, mx.domains()), mx, rig.eventLog());

        PacedSender sender = rig.own(new PacedSender("sigterm", new MailApi(b::baseUrl, TestAccounts.account(2)),
                jobs.recipients(), 20, 150, null)).start();
        rig.awaitUntil(Duration.ofSeconds(60), () -> mx.receivedCount() >= JOBS * 3 / 10);
        rig.note("SIGTERM to replica-a at " + mx.receivedCount() + " received, " + sender.sent() + " sent");
        a.terminate();

        sender.awaitDone(Duration.ofSeconds(120));
        boolean all = jobs.awaitAll(rig, Duration.ofSeconds(90));
        Counts counts = jobs.counts();
        rig.report(counts);
        rig.note("replica-a exited " + (a.awaitExit(Duration.ofSeconds(40)) ? "by itself" : "only when killed"));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(all).as("every job arrived and ended within the time allowed").isTrue();
        softly.assertThat(counts.lost()).as("jobs lost").isZero();
        softly.assertThat(counts.duplicates()).as("duplicates at the SMTP servers: %s", Jobs.sample(jobs.duplicated())).isZero();
        softly.assertThat(counts.notExactlyOneFinal()).as("jobs without exactly one final event").isZero();
        softly.assertAll();
    }
}
