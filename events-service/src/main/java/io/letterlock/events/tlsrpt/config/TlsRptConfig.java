package io.letterlock.events.tlsrpt.config;

import io.letterlock.events.tlsrpt.report.TlsRptSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SMTP TLS Reporting (RFC 8460): who the reports say they come from, and how the daily results are
 * counted and kept. The defaults let the counting and the operator's preview run; an installation
 * that sends reports sets the organisation, contact and submitter to its own ({@code .invalid} is
 * a placeholder no receiver can answer, RFC 2606).
 */
@ConfigMapping(prefix = "letterlock.tls-rpt")
public interface TlsRptConfig {

    /** false: events-service neither reads letterlock.tls-sessions nor answers the operator's preview. */
    @WithDefault("true")
    boolean enabled();

    /** RFC 8460 §4.4 {@code organization-name}: the organisation responsible for the reports. */
    @WithDefault("Letterlock")
    String organizationName();

    /** RFC 8460 §4.4 {@code contact-info}: an email address or URI a domain's operator can reach. */
    @WithDefault("postmaster@letterlock.invalid")
    String contactInfo();

    /** The reporting domain: part of every {@code report-id}, and the sender's name in report file names (§5.1). */
    @WithDefault("letterlock.invalid")
    String submitter();

    /** How late (by its {@code at}) a session may arrive and still count in its UTC day. */
    @WithDefault("6h")
    Duration grace();

    /** How long each day's results are kept (at least a day plus the grace): the preview looks back this far. */
    @WithDefault("7d")
    Duration retention();

    /**
     * How long one https submission (RFC 8460 §5.3) may take, resolution to the last byte of the
     * answer; past it the submission is retried later.
     */
    @WithDefault("30s")
    Duration submitTimeout();

    /**
     * How often each instance looks for UTC days whose reports are due (the day's end plus the
     * grace); a report goes out at most this much after it is due.
     */
    @WithDefault("10m")
    Duration planInterval();

    /** Submitting the planned reports to the targets domains name. */
    Submission submission();

    interface Submission {

        /** Consumer group of the report sender, shared by the replicas. */
        @WithDefault("letterlock-tls-reports")
        String groupId();

        /** The wait after a failed submission (or a failed record lookup), doubling after each. */
        @WithDefault("5m")
        Duration initialDelay();

        /** The longest wait between two tries. */
        @WithDefault("2h")
        Duration maxDelay();

        /**
         * How long after a report was due its submissions are still tried (RFC 8460 §5.3 leaves it to
         * the sender); then it is given up for that target, logged and counted.
         */
        @WithDefault("24h")
        Duration giveUpAfter();

        /** The delay queue's wait topics (letterlock.tls-reports.wait-&lt;delay&gt;), shortest first. */
        @WithDefault("1m,10m,1h")
        List<Duration> waitTiers();

        /** Submissions (https POSTs) going on at once on one instance; more wait in line. */
        @WithDefault("16")
        int maxInFlight();
    }

    /** Reports to {@code mailto:} targets, sent through Letterlock's own delivery as send jobs. */
    Mail mail();

    interface Mail {

        /**
         * The account the report mails are sent as: its TLS settings and domain policies apply, and
         * its Event Webhook sees their events (give it an API key to look at them).
         */
        @WithDefault("letterlock-tls-reports")
        String account();

        /** The From address; default {@code tlsrpt@<submitter>}. */
        Optional<String> from();

        /** How long delivery keeps trying one report mail before it bounces. */
        @WithDefault("24h")
        Duration lifetime();
    }

    /** Who the reports say they come from, as the report builder takes it. */
    default TlsRptSettings settings() {
        return new TlsRptSettings(organizationName(), contactInfo(), submitter());
    }
}
