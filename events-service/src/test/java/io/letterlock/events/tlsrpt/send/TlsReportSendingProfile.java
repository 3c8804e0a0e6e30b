package io.letterlock.events.tlsrpt.send;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * events-service as a reporting organisation would run it (submitter and contact set), looking for
 * due days every second and retrying after a second, on a clock running from 07:00 UTC tomorrow:
 * today's sessions, counted as delivery writes them, are then yesterday's, past the 6 h grace.
 */
public class TlsReportSendingProfile implements QuarkusTestProfile {

    static final String SUBMITTER = "reports.letterlock.test";
    static final String CONTACT = "tls-reports@letterlock.test";
    static final String ACCOUNT = "tls-report-sender";
    /** Today, UTC: the day the test's sessions happen and the reports cover. */
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("letterlock.tls-rpt.submitter", SUBMITTER),
                Map.entry("letterlock.tls-rpt.contact-info", CONTACT),
                Map.entry("letterlock.tls-rpt.organization-name", "Letterlock Test"),
                Map.entry("letterlock.tls-rpt.plan-interval", "1s"),
                Map.entry("letterlock.tls-rpt.submission.initial-delay", "1s"),
                Map.entry("letterlock.tls-rpt.submission.max-delay", "2s"),
                Map.entry("letterlock.tls-rpt.submission.wait-tiers", "10s,1m"),
                Map.entry("letterlock.tls-rpt.mail.account", ACCOUNT));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TomorrowMorningClock.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TlsReportWorld.class));
    }
}
