package io.letterlock.delivery.tlsrpt;

import io.letterlock.contracts.DomainNames;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.delivery.attempt.ObservedSession;
import io.letterlock.mail.tlsrpt.ReportedResult;
import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.IDN;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Sessions as records of {@code letterlock.tls-sessions}, keyed by the policy domain so that one
 * partition holds all of a domain's results. Each gets its own {@code session_id} and, as {@code at},
 * the moment it became known; the worker writes them with the job that opened them, in the
 * transaction that commits its offset, so a job attempted again after a crash reports the sessions it
 * really opened again, and a transaction that did not commit reports none.
 */
@ApplicationScoped
public class TlsSessionRecords {

    private final String topic;
    private final Clock clock;
    private final boolean enabled;

    public TlsSessionRecords(TopicNames topics, Clock clock, TlsRptConfig config) {
        this.topic = topics.tlsSessions();
        this.clock = clock;
        this.enabled = config.recordSessions();
    }

    /** Collects one attempt's sessions to the recipient domain; nothing when recording is off. */
    public Collected collect(String recipientDomain) {
        return new Collected(policyDomain(recipientDomain));
    }

    /** The sessions of one attempt, as records; safe to be told from the SMTP event loops. */
    public final class Collected implements Consumer<ObservedSession> {
        private final String policyDomain;
        private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();

        private Collected(String policyDomain) {
            this.policyDomain = policyDomain;
        }

        @Override
        public void accept(ObservedSession session) {
            if (!enabled) {
                return;
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, policyDomain,
                    Json.toBytes(result(policyDomain, session)));
            synchronized (records) {
                records.add(record);
            }
        }

        /** What was collected so far; each record is handed out once, whoever asks again gets the rest. */
        public List<ProducerRecord<String, byte[]>> drain() {
            synchronized (records) {
                List<ProducerRecord<String, byte[]>> drained = List.copyOf(records);
                records.clear();
                return drained;
            }
        }
    }

    private TlsSessionResult result(String policyDomain, ObservedSession session) {
        ReportedResult result = session.result();
        return new TlsSessionResult(UUID.randomUUID().toString(), clock.instant(), policyDomain,
                result.policy().type(), result.policy().strings(), result.policy().mxHostPatterns(), result.result(),
                session.endpoints().map(e -> e.local().getAddress().getHostAddress()).orElse(null),
                result.mxHost().orElse(null),
                session.endpoints().flatMap(e -> e.greetingHost()).orElse(null),
                session.endpoints().map(e -> e.remote().getAddress().getHostAddress()).orElse(null),
                result.detail().orElse(null), null);
    }

    /** RFC 8460 §4.4: the policy domain as lower-case A-labels. */
    static String policyDomain(String recipientDomain) {
        return DomainNames.toAsciiLowerCase(recipientDomain, IDN.ALLOW_UNASSIGNED);
    }
}
