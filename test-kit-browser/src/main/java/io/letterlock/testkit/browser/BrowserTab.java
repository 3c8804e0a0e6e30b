package io.letterlock.testkit.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * One tab of {@link HeadlessChromium}. Clicks and typing go through Chromium's input pipeline
 * (mouse events at the element's centre, text inserted as if typed), so a covered, hidden or
 * disabled control fails the way it would for a person. Uncaught page errors are collected so a
 * test can assert there were none.
 */
public final class BrowserTab implements AutoCloseable {

    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final DevToolsConnection connection;
    private final String sessionId;
    private final String targetId;
    private final List<String> scriptErrors = new CopyOnWriteArrayList<>();
    private final List<String> consoleMessages = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> nextLoad = new CompletableFuture<>();
    private volatile boolean closed;

    BrowserTab(DevToolsConnection connection, String sessionId, String targetId) {
        this.connection = connection;
        this.sessionId = sessionId;
        this.targetId = targetId;
        connection.onEvent(this::onEvent);
        command("Page.enable", null);
        command("Runtime.enable", null);
        command("Log.enable", null);
    }

    /** Loads {@code url} and returns once its load event fired. */
    public BrowserTab navigate(String url) {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        nextLoad = loaded;
        JsonNode result = command("Page.navigate", connection.params().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("cannot load " + url + ": " + result.get("errorText").asText());
        }
        try {
            loaded.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + url, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(url + " did not finish loading within " + LOAD_TIMEOUT, e);
        }
        return this;
    }

    /**
     * Evaluates a JavaScript expression in the page; a promise is awaited.
     *
     * @return the value as JSON ({@link MissingNode} for {@code undefined})
     * @throws PageScriptException when the expression throws
     */
    public JsonNode evaluate(String expression) {
        ObjectNode params = connection.params()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = command("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            String description = details.path("exception").path("description").asText(details.path("text").asText());
            throw new PageScriptException(description);
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? MissingNode.getInstance() : value;
    }

    /** The text content of the first element matching a CSS selector. */
    public String text(String selector) {
        return evaluate("(" + element(selector) + ").textContent").asText();
    }

    /** The text content of every element matching a CSS selector, in document order. */
    public List<String> texts(String selector) {
        JsonNode values = evaluate("Array.from(document.querySelectorAll(" + literal(selector) + "), e => e.textContent)");
        return json.convertValue(values, json.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** An attribute of the first element matching a CSS selector, or null when it has none. */
    public String attribute(String selector, String name) {
        JsonNode value = evaluate("(" + element(selector) + ").getAttribute(" + literal(name) + ")");
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    /** Clicks the centre of the first element matching a CSS selector with the mouse. */
    public BrowserTab click(String selector) {
        JsonNode point = evaluate("(() => { const e = " + element(selector) + ";"
                + " e.scrollIntoView({block: 'center', inline: 'center'});"
                + " const r = e.getBoundingClientRect();"
                + " if (r.width === 0 || r.height === 0) throw new Error(" + literal(selector + " is not visible") + ");"
                + " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
                + " const hit = document.elementFromPoint(x, y);"
                + " if (hit !== e && !e.contains(hit)) throw new Error(" + literal(selector + " is covered by ")
                + " + (hit ? hit.outerHTML.slice(0, 120) : 'nothing'));"
                + " return {x, y}; })()");
        double x = point.get("x").asDouble();
        double y = point.get("y").asDouble();
        mouse("mouseMoved", x, y);
        mouse("mousePressed", x, y);
        mouse("mouseReleased", x, y);
        return this;
    }

    /**
     * Replaces the value of a text-like input as a person would: focus it, select what it holds,
     * type the new text. Date inputs take their value directly, as typing into them depends on the
     * locale's field order.
     */
    public BrowserTab fill(String selector, String value) {
        boolean typed = evaluate("(() => { const e = " + element(selector) + ";"
                + " if (e.type === 'date' || e.type === 'datetime-local' || e.tagName === 'SELECT') {"
                + "   e.value = " + literal(value) + ";"
                + "   e.dispatchEvent(new Event('input', {bubbles: true}));"
                + "   e.dispatchEvent(new Event('change', {bubbles: true}));"
                + "   return false; }"
                + " e.focus(); e.select(); return true; })()").asBoolean();
        if (typed) {
            if (value.isEmpty()) {
                command("Input.dispatchKeyEvent", connection.params().put("type", "keyDown").put("key", "Backspace")
                        .put("code", "Backspace").put("windowsVirtualKeyCode", 8));
                command("Input.dispatchKeyEvent", connection.params().put("type", "keyUp").put("key", "Backspace")
                        .put("code", "Backspace").put("windowsVirtualKeyCode", 8));
            } else {
                command("Input.insertText", connection.params().put("text", value));
            }
        }
        return this;
    }

    /**
     * Waits until a JavaScript expression is truthy, evaluating it every 100 ms. An expression
     * that throws counts as not yet true (the element may not exist yet).
     */
    public BrowserTab waitUntil(String description, String expression, Duration timeout) {
        await(description + " (" + expression + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .ignoreException(PageScriptException.class)
                .until(() -> evaluate("!!(" + expression + ")").asBoolean());
        return this;
    }

    /** Saves what the tab shows as a PNG, e.g. to look at a failing test's page. */
    public Path screenshot(Path file) {
        JsonNode result = command("Page.captureScreenshot", connection.params().put("format", "png")
                .put("captureBeyondViewport", true));
        try {
            Files.write(file, Base64.getDecoder().decode(result.get("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Uncaught exceptions and unhandled promise rejections of the page, in order. */
    public List<String> scriptErrors() {
        return List.copyOf(scriptErrors);
    }

    /** What the page logged (console API) and what Chromium logged about it (failed loads, CSP). */
    public List<String> consoleMessages() {
        return List.copyOf(consoleMessages);
    }

    /** Closes the tab; the browser keeps running for the next one. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            connection.command(null, "Target.closeTarget", connection.params().put("targetId", targetId));
        }
    }

    private void mouse(String type, double x, double y) {
        ObjectNode params = connection.params().put("type", type).put("x", x).put("y", y);
        if (!type.equals("mouseMoved")) {
            params.put("button", "left").put("clickCount", 1);
        }
        command("Input.dispatchMouseEvent", params);
    }

    private JsonNode command(String method, ObjectNode params) {
        // Chromium may never answer a command for a closed tab's session: fail now, not at the timeout.
        if (closed) {
            throw new DevToolsException(method + ": the tab is closed");
        }
        return connection.command(sessionId, method, params);
    }

    private void onEvent(JsonNode event) {
        if (!sessionId.equals(event.path("sessionId").asText())) {
            return;
        }
        JsonNode params = event.path("params");
        switch (event.path("method").asText()) {
            case "Page.loadEventFired" -> nextLoad.complete(null);
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                scriptErrors.add(details.path("exception").path("description").asText(details.path("text").asText()));
            }
            case "Runtime.consoleAPICalled" -> {
                StringBuilder line = new StringBuilder(params.path("type").asText()).append(':');
                params.path("args").forEach(arg -> line.append(' ')
                        .append(arg.has("value") ? arg.get("value").asText() : arg.path("description").asText()));
                consoleMessages.add(line.toString());
            }
            case "Log.entryAdded" -> consoleMessages.add(params.path("entry").path("level").asText() + ": "
                    + params.path("entry").path("text").asText());
            default -> {
            }
        }
    }

    private String element(String selector) {
        String literal = literal(selector);
        return "(() => { const e = document.querySelector(" + literal + ");"
                + " if (!e) throw new Error('no element matches ' + " + literal + "); return e; })()";
    }

    /** A JavaScript string literal: JSON's string syntax is valid JavaScript. */
    private String literal(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
