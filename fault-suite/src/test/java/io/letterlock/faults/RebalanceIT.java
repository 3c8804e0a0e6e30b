package io.letterlock.faults;

import io.letterlock.faults.harness.Counts;
import io.letterlock.faults.harness.EventLog;
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
 * Two delivery-service replicas share the send-jobs partitions; mid-run a third joins and then one
 * of the first leaves (SIGTERM), two rebalances while mail keeps coming: every job still ends in
 * exactly one final event and reaches its SMTP server exactly once.
 */
class RebalanceIT {

    private static final int JOBS = 2400;
    private static final double PER_SECOND = 150;
    /**
     * How long each SMTP server holds a message before its 250: at 150 messages a second about
     * fifteen jobs are inside a transaction at any moment, so the fault always lands on some.
     */
    private static final Duration IN_TRANSACTION = Duration.ofMillis(100);

    @RegisterExtension
    final Rig rig = new Rig("rebalance");

    @Test
    void aReplicaJoiningAndOneLeavingMidRunLeaveEveryJobOneFinalEventAndNoDuplicate() {
        rig.sharedBroker();
        MailServers mx = rig.mailServers().addDomains("rebalance", 4, 3, IN_TRANSACTION);
        Map<String, String> config = rig.deliveryConfig(mx);
        ServiceNode a = rig.delivery("replica-a", config);
        ServiceNode b = rig.delivery("replica-b", config);
        ServiceNode c = rig.delivery("replica-c", config);
        rig.startAll(a, b);
        rig.awaitDeliveryGroup(2);
        EventLog events = rig.eventLog();
        Jobs jobs = new Jobs(Jobs.recipients("rebalance", JOBS, mx.domains()), mx, events);

        // Through replica b, which stays all along.
        PacedSender sender = rig.own(new PacedSender("rebalance", new MailApi(b::baseUrl, TestAccounts.account(1)),
                jobs.recipients(), 20, PER_SECOND, null)).start();
        rig.awaitUntil(Duration.ofSeconds(60), () -> mx.receivedCount() >= JOBS / 5);
        rig.note("replica-c joined at " + mx.receivedCount() + " messages received");
        rig.startAll(c);
        rig.awaitDeliveryGroup(3);
        int atJoin = mx.receivedCount();
        rig.awaitUntil(Duration.ofSeconds(60), () -> mx.receivedCount() >= atJoin + JOBS / 10);
        rig.note("replica-a left (SIGTERM) at " + mx.receivedCount() + " received, " + sender.sent() + " sent");
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
