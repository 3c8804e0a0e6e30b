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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One of two delivery-service replicas is killed (SIGKILL) mid-run, as a crash or the OOM killer
 * ends it. Nothing is lost; a message may reach its server twice only if its job was inside an SMTP
 * transaction at the moment of the kill (the server may have taken it without the replica learning
 * so); and every job still ends in exactly one final event.
 *
 * <p>"Inside an SMTP transaction" is measured from both ends right after the kill: the jobs whose
 * transaction the killed replica had begun (the RCPT commands its connections sent, told apart by
 * its EHLO name) and whose outcome it had not yet put on Kafka (no event but {@code processed}).
 * A job it had finished and reported cannot be in a transaction any more.
 */
class ReplicaKillIT {

    private static final int JOBS = 2000;
    /**
     * How long each SMTP server holds a message before its 250: at 150 messages a second about
     * fifteen jobs are inside a transaction at any moment, so the fault always lands on some.
     */
    private static final Duration IN_TRANSACTION = Duration.ofMillis(100);

    @RegisterExtension
    final Rig rig = new Rig("replica-kill");

    @Test
    void aReplicaKilledMidRunLosesNothingAndRepeatsOnlyTheJobsItWasSending() {
        rig.sharedBroker();
        MailServers mx = rig.mailServers().addDomains("kill", 4, 3, IN_TRANSACTION);
        Map<String, String> config = rig.deliveryConfig(mx);
        ServiceNode a = rig.delivery("replica-a", config);
        ServiceNode b = rig.delivery("replica-b", config);
        rig.startAll(a, b);
        rig.awaitDeliveryGroup(2);
        EventLog events = rig.eventLog();
        Jobs jobs = new Jobs(Jobs.recipients("kill", JOBS, mx.domains()), mx, events);

        PacedSender sender = rig.own(new PacedSender("kill", new MailApi(b::baseUrl, TestAccounts.account(3)),
                jobs.recipients(), 20, 150, null)).start();
        rig.awaitUntil(Duration.ofSeconds(60), () -> mx.receivedCount() >= JOBS * 3 / 10);
        int receivedAtKill = mx.receivedCount();
        a.kill();
        // What the killed replica had put on Kafka is there now; let the last bytes it wrote land.
        rig.pause(Duration.ofMillis(500));
        Set<String> begun = mx.recipientsAttemptedBy(Rig.heloName("replica-a"));
        Set<String> inside = new HashSet<>(begun);
        inside.removeAll(events.refresh().recipientsWithOutcome());
        rig.note("SIGKILL to replica-a at " + receivedAtKill + " received, " + sender.sent() + " sent; it had begun "
                + begun.size() + " transactions, " + inside.size() + " of them without an outcome on Kafka (inside)");

        sender.awaitDone(Duration.ofSeconds(120));
        boolean all = jobs.awaitAll(rig, Duration.ofSeconds(90));
        Counts counts = jobs.counts();
        rig.report(counts);
        Set<String> repeatedOutside = new HashSet<>(jobs.duplicated());
        repeatedOutside.removeAll(inside);
        rig.note("duplicates allowed (inside a transaction at the kill): " + inside.size()
                + ", duplicated jobs that were not: " + repeatedOutside.size());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(all).as("every job arrived and ended within the time allowed").isTrue();
        softly.assertThat(counts.lost()).as("jobs lost").isZero();
        softly.assertThat(counts.duplicates())
                .as("duplicates at the SMTP servers, at most the %d jobs inside a transaction at the kill", inside.size())
                .isLessThanOrEqualTo(inside.size());
        softly.assertThat(repeatedOutside).as("jobs sent twice that were not inside a transaction at the kill: %s",
                Jobs.sample(repeatedOutside)).isEmpty();
        softly.assertThat(counts.notExactlyOneFinal()).as("jobs without exactly one final event").isZero();
        softly.assertAll();
    }
}
