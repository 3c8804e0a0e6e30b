package io.letterlock.events.report.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.events.EventPublisher;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.events.TlsPage;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.browser.BrowserTab;
import io.letterlock.testkit.browser.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The TLS report page in headless Chromium against the running service: real HTTP, real API keys,
 * the page's own JavaScript.
 */
@EventsServiceTest
class TlsReportPageTest {

    /** One browser for the class, a fresh tab (and so a fresh sessionStorage) per test. */
    private static HeadlessChromium chromium;

    @TestHTTPResource("/tls/")
    URL page;

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    @BeforeAll
    static void startBrowser() {
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void pageIsServedWithoutAKeyUnderAStrictContentSecurityPolicy() {
        given().get("/tls/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .body(containsString("<title>Letterlock · TLS report</title>"));
        given().get("/tls/tls-report.js").then().statusCode(200).body(containsString("textContent"));
        given().get("/tls/tls-report.css").then().statusCode(200);
        // The page being open opens nothing else: its data still needs the key.
        given().get("/v3/tls/report").then().statusCode(401)
                .body("errors[0].message", equalTo("authorization required"));
    }

    @Test
    void wrongKeyShowsTheUnauthorizedMessageAndKeepsTheKeyOutOfTheUrl() {
        try (BrowserTab tab = open()) {
            TlsPage.answer(tab, "report", () -> tab.fill("#api-key", "not-a-key").click("#use-key"));

            assertThat(tab.attribute("#report", "data-state")).isEqualTo("error");
            assertThat(tab.text("#report-error"))
                    .isEqualTo("The API key was not accepted (401). Check it and enter it again.");
            assertThat(tab.attribute("#report-error", "data-status")).isEqualTo("401");
            assertThat(tab.texts("#report-rows tr")).isEmpty();
            assertThat(tab.evaluate("location.href").asText()).isEqualTo(page.toString());
            assertThat(tab.evaluate("sessionStorage.getItem('letterlock.tls-report.api-key')").asText())
                    .isEqualTo("not-a-key");
            assertThat(tab.evaluate("localStorage.length").asInt()).isZero();
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    @Test
    void reportShowsWhatBecameOfEachDomainsMailAsOneStackedBarAndTheDailyValidCertificateTrend() {
        publishReportEvents();
        try (BrowserTab tab = open()) {
            tab.fill("#page-size", "10");
            useKey(tab, SENDER);

            // Busiest first; among equals, by name ("<" sorts before letters).
            assertThat(tab.texts("#report-rows th.domain")).containsExactly(
                    "all-tls.page.test", "half-tls.page.test", "bad-cert.page.test", "no-tls.page.test", HOSTILE,
                    "filler-01.page.test", "filler-02.page.test", "filler-03.page.test", "filler-04.page.test",
                    "filler-05.page.test");
            assertThat(tab.text("#report-summary")).startsWith(DOMAINS + " domains from ");
            // domain, messages, what happened, valid-cert share, TLS share, blocked, deferred, versions | errors
            assertThat(cells(tab, "all-tls.page.test")).containsExactly(
                    "all-tls.page.test", "6", "6 valid certificate", "100.0 %", "100.0 %", "0", "0", "TLSv1.3: 6 | —");
            assertThat(cells(tab, "half-tls.page.test")).containsExactly(
                    "half-tls.page.test", "4", "2 valid certificate, 1 TLS, bad certificate, 1 cleartext", "50.0 %",
                    "75.0 %", "0", "0", "TLSv1.2: 1, TLSv1.3: 2 | certificate self-signed: 1");
            assertThat(cells(tab, "bad-cert.page.test")).containsExactly(
                    "bad-cert.page.test", "3", "3 TLS, bad certificate, 2 deferred", "0.0 %", "100.0 %", "0", "2",
                    "TLSv1.3: 5 | certificate expired: 5");
            // Nothing delivered: no share to show, the same words whatever the reason; the bar says why.
            assertThat(cells(tab, "no-tls.page.test")).containsExactly(
                    "no-tls.page.test", "2", "2 blocked: no TLS", "none delivered", "none delivered", "2", "0", "— | —");
            assertThat(cells(tab, "filler-01.page.test")).containsExactly(
                    "filler-01.page.test", "1", "1 cleartext", "0.0 %", "0.0 %", "0", "0", "— | —");

            // One stacked bar per row: each part as wide as its count's share of the 200-unit bar.
            // A self-signed domain is amber, never green like a valid one.
            assertThat(segments(tab, "all-tls.page.test")).isEqualTo("valid_cert:6:200.0");
            assertThat(segments(tab, "half-tls.page.test"))
                    .isEqualTo("valid_cert:2:100.0 tls_bad_cert:1:50.0 cleartext:1:50.0");
            assertThat(segments(tab, "bad-cert.page.test")).isEqualTo("tls_bad_cert:3:120.0 deferred:2:80.0");
            assertThat(segments(tab, "no-tls.page.test")).isEqualTo("blocked_no_tls:2:200.0");
            assertThat(segments(tab, "filler-01.page.test")).isEqualTo("cleartext:1:200.0");
            assertThat(fill(tab, "all-tls.page.test", "valid_cert")).isNotEqualTo(fill(tab, "bad-cert.page.test", "tls_bad_cert"));

            // The trend: one column per day of the range; today's is the share of all the sender's
            // messages delivered with a valid certificate (8 of 24), the other days had none.
            JsonNode days = trend(tab);
            assertThat(days).hasSize(7);
            assertThat(days.findValuesAsText("share").stream().filter(share -> !share.isEmpty()))
                    .containsExactly("0.3333");
            assertThat(days.findValuesAsText("title")).anyMatch(title -> title.endsWith(
                    ": 33.3 % of 24 messages delivered with a valid certificate"));
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    @Test
    void textFromTheApiIsShownAsTextAndNeverRuns() {
        publishReportEvents();
        try (BrowserTab tab = open()) {
            useKey(tab, SENDER);

            assertThat(cells(tab, HOSTILE)).containsExactly(
                    HOSTILE, "1", "1 TLS, bad certificate", "0.0 %", "100.0 %", "0", "0",
                    "TLSv1.3: 1 | " + HOSTILE_CERT_ERROR + ": 1");
            assertThat(segments(tab, HOSTILE)).isEqualTo("tls_bad_cert:1:200.0");
            assertThat(tab.evaluate("document.querySelectorAll('main img, main script').length").asInt()).isZero();
            assertThat(tab.evaluate("typeof window.pwned").asText()).isEqualTo("undefined");
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    @Test
    void pagesThroughTheDomainsAndNeverShowsAnotherAccountsDomains() {
        publishReportEvents();
        try (BrowserTab tab = open()) {
            tab.fill("#page-size", "10");
            useKey(tab, SENDER);
            List<String> firstPage = tab.texts("#report-rows th.domain");
            assertThat(tab.text("#page-info")).isEqualTo("Domains 1–10 of " + DOMAINS);
            assertThat(tab.evaluate("document.getElementById('prev-page').disabled").asBoolean()).isTrue();

            TlsPage.answer(tab, "report", () -> tab.click("#next-page"));
            assertThat(tab.texts("#report-rows th.domain")).containsExactly(
                    "filler-06.page.test", "filler-07.page.test", "filler-08.page.test", "waiting.page.test");
            assertThat(tab.text("#page-info")).isEqualTo("Domains 11–14 of " + DOMAINS);
            assertThat(tab.evaluate("document.getElementById('next-page').disabled").asBoolean()).isTrue();
            // Attempts but no message yet: no share, and a bar of deferrals.
            assertThat(cells(tab, "waiting.page.test")).containsExactly(
                    "waiting.page.test", "0", "1 deferred", "none delivered", "none delivered", "0", "1", "— | —");
            assertThat(segments(tab, "waiting.page.test")).isEqualTo("deferred:1:200.0");

            TlsPage.answer(tab, "report", () -> tab.click("#prev-page"));
            assertThat(tab.texts("#report-rows th.domain")).isEqualTo(firstPage);
            assertThat(firstPage).doesNotContain("other-account.page.test");
        }
        // The other account sees its own domain only.
        try (BrowserTab tab = open()) {
            useKey(tab, OTHER);
            assertThat(tab.texts("#report-rows th.domain")).containsExactly("other-account.page.test");
        }
    }

    @Test
    void clickingAColumnHeadingSortsThroughTheApi() {
        publishReportEvents();
        try (BrowserTab tab = open()) {
            useKey(tab, SENDER);
            assertThat(tab.attribute("th[data-sort=volume]", "aria-sort")).isEqualTo("descending");
            assertThat(messages(tab)).hasSize(DOMAINS).isSortedAccordingTo(Comparator.reverseOrder());

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=volume] button"));
            assertThat(tab.attribute("th[data-sort=volume]", "aria-sort")).isEqualTo("ascending");
            assertThat(messages(tab)).isSorted();
            assertThat(tab.texts("#report-rows th.domain")).first().isEqualTo("waiting.page.test");
            assertThat(tab.texts("#report-rows th.domain")).last().isEqualTo("all-tls.page.test");

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=tls_share] button"));
            assertThat(tab.attribute("th[data-sort=tls_share]", "aria-sort")).isEqualTo("ascending");
            assertThat(tab.attribute("th[data-sort=volume]", "aria-sort")).isEqualTo("none");
            // Two domains delivered nothing (no-tls, waiting) and show no share.
            assertThat(tlsShares(tab)).hasSize(DOMAINS - 2).startsWith(0.0).isSorted().endsWith(1.0);
            assertThat(tab.texts("#report-rows th.domain")).last().isEqualTo("waiting.page.test");

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=tls_share] button"));
            assertThat(tab.attribute("th[data-sort=tls_share]", "aria-sort")).isEqualTo("descending");
            assertThat(tlsShares(tab)).startsWith(1.0, 1.0, 1.0, 0.75).isSortedAccordingTo(Comparator.reverseOrder());

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=valid_cert_share] button"));
            assertThat(tab.attribute("th[data-sort=valid_cert_share]", "aria-sort")).isEqualTo("ascending");
            assertThat(tab.attribute("th[data-sort=tls_share]", "aria-sort")).isEqualTo("none");
            assertThat(shares(tab, "valid-cert-share")).hasSize(DOMAINS - 2).isSorted().endsWith(1.0);

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=domain] button"));
            assertThat(tab.attribute("th[data-sort=domain]", "aria-sort")).isEqualTo("ascending");
            assertThat(tab.texts("#report-rows th.domain")).isSorted()
                    .startsWith(HOSTILE, "all-tls.page.test", "bad-cert.page.test", "filler-01.page.test");

            TlsPage.answer(tab, "report", () -> tab.click("th[data-sort=domain] button"));
            assertThat(tab.attribute("th[data-sort=domain]", "aria-sort")).isEqualTo("descending");
            assertThat(tab.texts("#report-rows th.domain")).first().isEqualTo("waiting.page.test");
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    // ---- the report: a known mix of events for one account, another account's beside it ----

    private static final TestAccount SENDER = TestAccounts.account(33);
    private static final TestAccount OTHER = TestAccounts.account(34);
    private static final int FILLERS = 8;
    /** A recipient domain is whatever follows the @: the page must show this as text, never run it. */
    private static final String HOSTILE = "<img src=x onerror=window.pwned=1>.page.test";
    private static final String HOSTILE_CERT_ERROR = "<script>window.pwned=2</script>";
    /** all-tls, half-tls, bad-cert, no-tls, the fillers, the hostile one and one with no message yet. */
    private static final int DOMAINS = 4 + FILLERS + 2;
    private static boolean published;

    /** Publishes the report's events once; the report API shows them when its stores have them. */
    private void publishReportEvents() {
        if (published) {
            return;
        }
        List<MailEvent> events = new ArrayList<>();
        // 6 messages, all over TLS with a valid certificate.
        for (int i = 0; i < 6; i++) {
            events.add(delivered(SENDER, "all-tls.page.test", true, false, "TLSv1.3", null));
        }
        // 4 messages: 2 valid TLS, 1 TLS with a self-signed certificate, 1 in cleartext.
        events.add(delivered(SENDER, "half-tls.page.test", true, false, "TLSv1.3", null));
        events.add(delivered(SENDER, "half-tls.page.test", true, false, "TLSv1.3", null));
        events.add(delivered(SENDER, "half-tls.page.test", true, true, "TLSv1.2", "certificate self-signed"));
        events.add(delivered(SENDER, "half-tls.page.test", false, false, null, null));
        // 3 messages over TLS with an expired certificate, 2 attempts deferred on the way.
        for (int i = 0; i < 2; i++) {
            events.add(event(EventType.DEFERRED, SENDER, "bad-cert.page.test").tls(true).certErr(true)
                    .tlsVersion("TLSv1.3").tlsCipher("TLS_AES_256_GCM_SHA384").certError("certificate expired")
                    .response("deferred: certificate expired").attempt(1).build());
        }
        for (int i = 0; i < 3; i++) {
            events.add(delivered(SENDER, "bad-cert.page.test", true, true, "TLSv1.3", "certificate expired"));
        }
        // 2 messages dropped: TLS required, not offered.
        for (int i = 0; i < 2; i++) {
            events.add(event(EventType.BOUNCE, SENDER, "no-tls.page.test").type(BounceType.BLOCKED).tls(false)
                    .certErr(false).status("5.7.4").reason("500 TLS required but not supported").build());
        }
        // One cleartext message each to more domains, so the report has a second page.
        for (int i = 1; i <= FILLERS; i++) {
            events.add(delivered(SENDER, String.format("filler-%02d.page.test", i), false, false, null, null));
        }
        events.add(delivered(SENDER, HOSTILE, true, true, "TLSv1.3", HOSTILE_CERT_ERROR));
        // Only deferred so far: attempts but no message, so no share yet.
        events.add(event(EventType.DEFERRED, SENDER, "waiting.page.test").tls(false).certErr(false)
                .response("421 4.7.0 try again later").attempt(1).build());
        // Another account's domain, which the sender's page must never show.
        events.add(delivered(OTHER, "other-account.page.test", true, false, "TLSv1.3", null));
        EventPublisher.publish(eventsTopic, events);
        published = true;
        await("report API shows every domain of the sender").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().header("Authorization", SENDER.bearer()).queryParam("limit", 50)
                        .get("/v3/tls/report").then().extract().path("total_domains"),
                        total -> Integer.valueOf(DOMAINS).equals(total));
    }

    private static MailEvent.Builder event(EventType type, TestAccount account, String domain) {
        return MailEvent.builder(type, "rcpt-" + UUID.randomUUID() + "@" + domain)
                .accountId(account.id())
                .sgMessageId("m-" + UUID.randomUUID())
                .timestamp(Instant.now());
    }

    private static MailEvent delivered(TestAccount account, String domain, boolean tls, boolean certErr,
                                       String version, String certError) {
        MailEvent.Builder builder = event(EventType.DELIVERED, account, domain).tls(tls).certErr(certErr)
                .response("250 2.0.0 Ok").mx("mx." + domain);
        if (tls) {
            builder.tlsVersion(version).tlsCipher("TLS_AES_256_GCM_SHA384");
        }
        if (certError != null) {
            builder.certError(certError);
        }
        return builder.build();
    }

    /** The row's cells as text; the details cell as "versions | errors". */
    private static List<String> cells(BrowserTab tab, String domain) {
        List<String> cells = new ArrayList<>();
        tab.evaluate("Array.from(document.querySelectorAll(" + rowSelector(domain) + " + ' > *'), c => "
                + "c.classList.contains('details') ? c.querySelector('.tls-versions').textContent + ' | '"
                + " + c.querySelector('.cert-errors').textContent : c.textContent)").forEach(c -> cells.add(c.asText()));
        return cells;
    }

    /** The row's stacked bar as "part:count:width …", in drawing order. */
    private static String segments(BrowserTab tab, String domain) {
        List<String> parts = new ArrayList<>();
        tab.evaluate("Array.from(document.querySelectorAll(" + rowSelector(domain) + " + ' .outcome-bar .seg'), r => "
                + "r.dataset.part + ':' + r.dataset.count + ':' + Number(r.getAttribute('width')).toFixed(1))")
                .forEach(part -> parts.add(part.asText()));
        return String.join(" ", parts);
    }

    /** The colour a part of a row's bar is drawn in. */
    private static String fill(BrowserTab tab, String domain, String part) {
        return tab.evaluate("getComputedStyle(document.querySelector(" + rowSelector(domain)
                + " + ' .seg-" + part + "')).fill").asText();
    }

    private static String rowSelector(String domain) {
        return "\"#report-rows tr[data-domain='\" + " + com.fasterxml.jackson.databind.node.TextNode.valueOf(domain)
                + " + \"']\"";
    }

    private static JsonNode trend(BrowserTab tab) {
        return tab.evaluate("Array.from(document.querySelectorAll('#chart .trend-day'), g => ({"
                + "date: g.dataset.date, share: g.dataset.share, title: g.querySelector('title').textContent}))");
    }

    private static List<Integer> messages(BrowserTab tab) {
        return tab.texts("#report-rows td.messages").stream().map(Integer::valueOf).toList();
    }

    /** The TLS shares of the rows shown, those with none (no delivered messages) left out. */
    private static List<Double> tlsShares(BrowserTab tab) {
        return shares(tab, "tls-share");
    }

    private static List<Double> shares(BrowserTab tab, String column) {
        List<Double> shares = new ArrayList<>();
        tab.evaluate("Array.from(document.querySelectorAll('#report-rows td." + column + "'), td => td.dataset.value ?? null)")
                .forEach(value -> {
                    if (!value.isNull() && !value.asText().isEmpty()) {
                        shares.add(Double.valueOf(value.asText()));
                    }
                });
        return shares;
    }

    private BrowserTab open() {
        return TlsPage.open(chromium, page);
    }

    private static void useKey(BrowserTab tab, TestAccount account) {
        TlsPage.useKey(tab, account);
        assertThat(tab.attribute("#report", "data-state")).isEqualTo("loaded");
    }
}
