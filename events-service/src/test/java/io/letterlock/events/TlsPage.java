package io.letterlock.events;

import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.browser.BrowserTab;
import io.letterlock.testkit.browser.HeadlessChromium;

import java.net.URL;
import java.time.Duration;

/** What a person does on the TLS report page, for the page's tests. */
public final class TlsPage {

    /** Generous: other builds share the machine's two cores. */
    public static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    private TlsPage() {
    }

    /** A new tab (so a fresh sessionStorage) on the page, once its script has run. */
    public static BrowserTab open(HeadlessChromium chromium, URL page) {
        BrowserTab tab = chromium.newTab().navigate(page.toString());
        tab.waitUntil("page script ran", "document.getElementById('key-status').textContent !== ''", UI_TIMEOUT);
        return tab;
    }

    /** Enters the account's key, which loads its report, and waits for the report's answer. */
    public static void useKey(BrowserTab tab, TestAccount account) {
        answer(tab, "report", () -> tab.fill("#api-key", account.key()).click("#use-key"));
    }

    /** Does something in the page and waits until the section ("report", "check") has a new answer. */
    public static void answer(BrowserTab tab, String section, Runnable action) {
        String answers = "Number(document.getElementById('" + section + "').dataset.answers || 0)";
        int before = tab.evaluate(answers).asInt();
        action.run();
        tab.waitUntil(section + " answered", answers + " > " + before, UI_TIMEOUT);
    }
}
