package io.letterlock.testkit.browser;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The harness against a trivial page served on loopback by the JDK's HTTP server. */
class HeadlessChromiumTest {

    private static final String PAGE = """
            <!doctype html>
            <html><head><title>harness</title></head>
            <body>
              <label for="name">Name</label><input id="name" type="text" value="old">
              <button id="greet" type="button">Greet</button>
              <p id="out">nobody yet</p>
              <div id="cover-target"><button id="covered" type="button">Covered</button>
                <div style="position:fixed;inset:0;background:white" id="overlay"></div></div>
              <script>
                document.getElementById('greet').addEventListener('click', () => {
                  document.getElementById('out').textContent = 'hello ' + document.getElementById('name').value;
                });
                setTimeout(() => { throw new Error('late failure'); }, 0);
              </script>
            </body></html>
            """;

    private static HttpServer server;
    private static String url;
    /** One browser for the class, a new tab per test: a start costs seconds on these machines. */
    private static HeadlessChromium chromium;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        server.stop(0);
    }

    @Test
    void loadsAPageAndReadsItsText() {
        BrowserTab tab = chromium.newTab().navigate(url);
        assertThat(tab.evaluate("document.title").asText()).isEqualTo("harness");
        assertThat(tab.text("#out")).isEqualTo("nobody yet");
        assertThat(tab.attribute("#name", "type")).isEqualTo("text");
        assertThat(tab.attribute("#name", "aria-label")).isNull();
        assertThat(tab.texts("label, button")).containsExactly("Name", "Greet", "Covered");
    }

    @Test
    void typesAndClicksThroughTheInputPipeline() {
        BrowserTab tab = chromium.newTab().navigate(url);
        tab.evaluate("document.getElementById('overlay').remove()");
        tab.fill("#name", "Ada <b>").click("#greet");
        tab.waitUntil("greeting shown", "document.getElementById('out').textContent === 'hello Ada <b>'",
                Duration.ofSeconds(10));
    }

    @Test
    void refusesToClickAnElementSomethingElseCovers() {
        BrowserTab tab = chromium.newTab().navigate(url);
        assertThatThrownBy(() -> tab.click("#covered"))
                .isInstanceOf(PageScriptException.class)
                .hasMessageContaining("#covered is covered by <div");
    }

    @Test
    void reportsScriptErrorsOfTheExpressionAndOfThePage() {
        BrowserTab tab = chromium.newTab().navigate(url);
        assertThatThrownBy(() -> tab.evaluate("nosuchfunction()"))
                .isInstanceOf(PageScriptException.class)
                .hasMessageContaining("nosuchfunction is not defined");
        assertThatThrownBy(() -> tab.text("#missing"))
                .hasMessageContaining("no element matches #missing");
        await().atMost(Duration.ofSeconds(10)).until(() -> !tab.scriptErrors().isEmpty());
        assertThat(tab.scriptErrors()).singleElement().asString().contains("late failure");
    }

    @Test
    void closedTabLeavesTheBrowserServingNewOnes() {
        BrowserTab first = chromium.newTab().navigate(url);
        first.close();
        assertThatThrownBy(() -> first.evaluate("1")).isInstanceOf(DevToolsException.class)
                .hasMessage("Runtime.evaluate: the tab is closed");
        assertThat(chromium.newTab().navigate(url).text("#out")).isEqualTo("nobody yet");
    }

    @Test
    void closeKillsEveryBrowserProcess() {
        List<ProcessHandle> processes;
        try (HeadlessChromium own = HeadlessChromium.start()) {
            own.newTab().navigate(url);
            processes = own.processes();
            // The browser, its zygotes and at least one renderer.
            assertThat(processes).hasSizeGreaterThan(2).allMatch(ProcessHandle::isAlive);
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void failsClearlyWhenChromiumIsMissing() {
        String previous = System.getProperty("letterlock.chromium");
        System.setProperty("letterlock.chromium", "/nonexistent/chromium");
        try {
            assertThatThrownBy(HeadlessChromium::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Chromium is not installed at /nonexistent/chromium")
                    .hasMessageContaining(".ci/run installs it");
        } finally {
            if (previous == null) {
                System.clearProperty("letterlock.chromium");
            } else {
                System.setProperty("letterlock.chromium", previous);
            }
        }
    }
}
