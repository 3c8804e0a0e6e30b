package io.letterlock.events.tlscheck.api;

import io.letterlock.events.TlsPage;
import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.browser.BrowserTab;
import io.letterlock.testkit.browser.HeadlessChromium;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's "Check a domain" form in headless Chromium, against the real check: SMTP servers with
 * certificates from a test CA, reached by static routes ({@link TlsCheckWorld}, the same world the
 * check API's own tests use, so both share one running application).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "events"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(TlsCheckWorld.class)
class TlsCheckPageTest {

    private static final TestAccount CHECKER = TestAccounts.account(35);
    private static HeadlessChromium chromium;

    @TestHTTPResource("/tls/")
    URL page;

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
    void showsTheMxHostItsCertificateAndTheFourVerdicts() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, CHECKER);
            check(tab, "valid.test");

            assertThat(tab.text("#check-result-heading")).isEqualTo("Mail servers of valid.test");
            List<String> mx = tab.texts("#mx-table tbody tr > *");
            assertThat(mx.get(0)).isEqualTo("127.0.0.1");
            assertThat(mx.get(3)).isEqualTo("yes");
            assertThat(mx.get(4)).isEqualTo("yes");
            assertThat(mx.get(5)).isEqualTo("TLSv1.3, TLSv1.2");
            assertThat(mx.get(6)).startsWith("TLSv1.3 / TLS_");
            assertThat(mx.get(7)).contains("TLS Check Test CA").contains("Names: 127.0.0.1");
            assertThat(mx.get(8)).isEqualTo("valid");
            assertThat(verdicts(tab)).containsExactly(
                    "no|no|delivered", "no|yes|delivered", "yes|no|delivered", "yes|yes|delivered");
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    @Test
    void showsWhyASelfSignedCertificateFailsAndWhichSettingsDefer() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, TestAccounts.account(36));
            check(tab, "self-signed.test");

            assertThat(tab.text("#mx-table td.mx-cert-verdict")).startsWith("not valid: ").contains("self-signed");
            assertThat(verdicts(tab)).containsExactly(
                    "no|no|delivered", "no|yes|deferred", "yes|no|delivered", "yes|yes|deferred");
        }
    }

    @Test
    void aServerWithoutStartTlsIsDroppedWhenTlsIsRequired() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, TestAccounts.account(37));
            check(tab, "no-tls.test");

            assertThat(tab.text("#mx-table td.mx-starttls")).isEqualTo("no");
            assertThat(tab.text("#mx-table td.mx-cert-verdict")).isEqualTo("no certificate seen");
            assertThat(verdicts(tab)).containsExactly(
                    "no|no|delivered", "no|yes|delivered", "yes|no|dropped", "yes|yes|dropped");
            assertThat(tab.text("#check-requiretls")).isEqualTo("A message that asks for REQUIRETLS: bounced "
                    + "(550 5.7.30 REQUIRETLS support required: STARTTLS not offered), by 127.0.0.1.");
        }
    }

    @Test
    void showsTheDomainsMtaStsPolicyAndEachHostsDaneState() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, TestAccounts.account(29));
            check(tab, TlsCheckWorld.STS_DOMAIN);

            assertThat(tab.text("#check-mta-sts")).isEqualTo("MTA-STS: mode enforce, MX " + TlsCheckWorld.STS_LISTED
                    + ", max_age 86400 s (id 20261203).");
            assertThat(tab.text("#mx-table td.mx-receiver")).contains("not listed by MTA-STS");
            assertThat(verdicts(tab)).containsExactly(
                    "no|no|deferred", "no|yes|deferred", "yes|no|deferred", "yes|yes|deferred");

            check(tab, TlsCheckWorld.DANE_DOMAIN);
            assertThat(tab.text("#mx-table td.mx-receiver")).startsWith("DANE: authenticate, chain matches (");
            assertThat(verdicts(tab)).containsExactly(
                    "no|no|delivered", "no|yes|delivered", "yes|no|delivered", "yes|yes|delivered");
            assertThat(tab.scriptErrors()).isEmpty();
        }
    }

    @Test
    void aNameThatIsNoDomainShowsTheServicesRefusal() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, TestAccounts.account(38));
            check(tab, "not a domain");

            assertThat(tab.attribute("#check", "data-state")).isEqualTo("error");
            assertThat(tab.attribute("#check-error", "data-status")).isEqualTo("400");
            assertThat(tab.text("#check-error")).startsWith("The service refused the request (400):");
            assertThat(tab.texts("#check-result *")).isEmpty();
        }
    }

    @Test
    void tooManyNewChecksShowTheRateLimitAndWhenToTryAgain() {
        try (BrowserTab tab = TlsPage.open(chromium, page)) {
            TlsPage.useKey(tab, TestAccounts.account(39));
            // Names no one checked before, so each is a new probe (the test limit is 3 a minute).
            for (int i = 0; i < 3; i++) {
                check(tab, "page-" + UUID.randomUUID() + ".test");
                assertThat(tab.attribute("#check", "data-state")).isEqualTo("loaded");
            }
            check(tab, "page-" + UUID.randomUUID() + ".test");

            assertThat(tab.attribute("#check", "data-state")).isEqualTo("error");
            assertThat(tab.attribute("#check-error", "data-status")).isEqualTo("429");
            assertThat(tab.text("#check-error")).matches("Too many requests \\(429\\); try again in \\d+ s\\. .*new TLS checks.*");
        }
    }

    private static void check(BrowserTab tab, String domain) {
        tab.fill("#check-domain", domain);
        TlsPage.answer(tab, "check", () -> tab.click("#run-check"));
    }

    private static List<String> verdicts(BrowserTab tab) {
        List<String> rows = new ArrayList<>();
        tab.evaluate("Array.from(document.querySelectorAll('#verdict-table tbody tr'), tr =>"
                        + " [tr.querySelector('.require-tls').textContent, tr.querySelector('.require-valid-cert').textContent,"
                        + " tr.querySelector('.outcome').textContent].join('|'))")
                .forEach(row -> rows.add(row.asText()));
        return rows;
    }
}
