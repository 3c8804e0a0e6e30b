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
import io.letterlock.testkit.smtp.ScriptedReply;
import io.letterlock.testkit.smtp.TestSmtpServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs that wait are handed across a restart of every delivery-service replica (SIGTERM to both,
 * then two new processes): messages with a {@code send_at} a little ahead, and messages whose first
 * attempt the receiving server deferred ({@code 451}), waiting for their retry. When they come due
 * each is delivered once: none repeated, none lost, one final event each.
 */
class ScheduledAcrossRestartIT {

    private static final int SCHEDULED = 600;
    private static final int DEFERRED = 600;
    /** Both far enough ahead that the restart is over before any job is due. */
    private static final Duration SEND_AT_AHEAD = Duration.ofSeconds(30);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(25);

    @RegisterExtension
    final Rig rig = new Rig("scheduled-restart");

    @Test
    void sendAtAndDeferredJobsWaitingAcrossARestartAreEachDeliveredOnce() {
        rig.sharedBroker();
        MailServers mx = rig.mailServers().addDomains("scheduled", 2, 3, Duration.ofMillis(10));
        // Its first DEFERRED transactions get 451 after DATA: each deferred job's first attempt.
        TestSmtpServer deferring = MailServers.server(Duration.ofMillis(10)).hostname("mx.deferred.fault.test")
                .dataReplyForFirst(DEFERRED, ScriptedReply.TRY_AGAIN_LATER).start();
        mx.add(deferring, "deferred-1.fault.test", "deferred-2.fault.test", "deferred-3.fault.test");
        Map<String, String> config = rig.deliveryConfig(mx);
        config.put("letterlock.retry.initial-delay", RETRY_DELAY.toSeconds() + "s");
        ServiceNode a = rig.delivery("replica-a", config);
        ServiceNode b = rig.delivery("replica-b", config);
        rig.startAll(a, b);
        rig.awaitDeliveryGroup(2);
        EventLog events = rig.eventLog();
        List<String> deferred = Jobs.recipients("deferred", DEFERRED, mx.domains("deferred-"));
        List<String> scheduled = Jobs.recipients("scheduled", SCHEDULED, mx.domains("scheduled-"));
        List<String> all = new ArrayList<>(deferred);
        all.addAll(scheduled);
        Jobs jobs = new Jobs(all, mx, events);

        MailApi api = new MailApi(a::baseUrl, TestAccounts.account(6));
        rig.own(new PacedSender("deferred", api, deferred, 50, 1000, null)).start().awaitDone(Duration.ofSeconds(60));
        // send_at is whole seconds: the moment the messages are due is the second's start.
        Instant sendAt = Instant.ofEpochSecond(Instant.now().plus(SEND_AT_AHEAD).getEpochSecond());
        rig.own(new PacedSender("scheduled", api, scheduled, 50, 1000, sendAt.getEpochSecond()))
                .start().awaitDone(Duration.ofSeconds(60));
        // Both kinds are parked on the retry topic: the deferred after their 451, the scheduled unread yet.
        boolean parked = rig.awaitUntil(Duration.ofSeconds(60),
                () -> events.refresh().recipientsWithOutcome().containsAll(deferred)
                        && rig.topicSize("send-jobs-retry") >= DEFERRED + SCHEDULED);
        rig.note("parked on the retry topic: " + rig.topicSize("send-jobs-retry") + " records, " + mx.receivedCount()
                + " messages received; restarting both replicas");

        a.terminate();
        b.terminate();
        boolean stopped = a.awaitExit(Duration.ofSeconds(40)) & b.awaitExit(Duration.ofSeconds(40));
        rig.startAll(a, b);
        int receivedAfterRestart = mx.receivedCount();
        boolean restartedBeforeDue = Instant.now().isBefore(sendAt) && receivedAfterRestart == 0;
        rig.note("both replicas stopped by themselves: " + stopped + "; restarted " + Duration.between(Instant.now(), sendAt)
                .toSeconds() + " s before send_at, " + receivedAfterRestart + " received by then");

        boolean complete = jobs.awaitAll(rig, Duration.ofSeconds(90));
        Counts counts = jobs.counts();
        rig.report(counts);
        long early = mx.firstReceipts().entrySet().stream()
                .filter(e -> e.getKey().startsWith("scheduled-") && e.getValue().isBefore(sendAt)).count();
        rig.note("scheduled messages delivered before their send_at: " + early);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(parked).as("every job waited on the retry topic before the restart").isTrue();
        softly.assertThat(restartedBeforeDue).as("the restart was over before any job was due").isTrue();
        softly.assertThat(complete).as("every job arrived and ended within the time allowed").isTrue();
        softly.assertThat(counts.lost()).as("jobs lost").isZero();
        softly.assertThat(counts.duplicates()).as("jobs repeated at the SMTP servers: %s", Jobs.sample(jobs.duplicated())).isZero();
        softly.assertThat(counts.notExactlyOneFinal()).as("jobs without exactly one final event").isZero();
        softly.assertAll();
    }
}
