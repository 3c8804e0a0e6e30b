package io.letterlock.events.page;

import io.letterlock.events.api.EventsServiceTest;
import io.letterlock.testkit.browser.BrowserTab;
import io.letterlock.testkit.browser.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The TLS report page in headless Chromium against the running service: real HTTP, real API keys,
 * the page's own JavaScript.
 */
@EventsServiceTest
class TlsReportPageTest {

    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    /** One browser for the class, a fresh tab (and so a fresh sessionStorage) per test. */
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
        BrowserTab tab = open();
        tab.fill("#api-key", "not-a-key").click("#use-key");
        tab.waitUntil("report error shown", "document.getElementById('report').dataset.state === 'error'", UI_TIMEOUT);

        assertThat(tab.text("#report-error"))
                .isEqualTo("The API key was not accepted (401). Check it and enter it again.");
        assertThat(tab.attribute("#report-error", "data-status")).isEqualTo("401");
        assertThat(tab.evaluate("location.href").asText()).isEqualTo(page.toString());
        assertThat(tab.evaluate("sessionStorage.getItem('letterlock.tls-report.api-key')").asText()).isEqualTo("not-a-key");
        assertThat(tab.evaluate("localStorage.length").asInt()).isZero();
        assertThat(tab.scriptErrors()).isEmpty();
    }

    private BrowserTab open() {
        BrowserTab tab = chromium.newTab().navigate(page.toString());
        tab.waitUntil("page script ran", "document.getElementById('key-status').textContent !== ''", UI_TIMEOUT);
        return tab;
    }
}
