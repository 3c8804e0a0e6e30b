package io.letterlock.testkit.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Chrome DevTools Protocol over one WebSocket to the browser: numbered commands answered by
 * id, and events passed to listeners. Commands for a tab carry its {@code sessionId} (flat mode),
 * so one socket serves the browser and all its tabs.
 */
final class DevToolsConnection implements AutoCloseable {

    /** A command the browser does not answer in this time is a hung browser, not a slow one. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> eventListeners = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private volatile Throwable closedBy;

    DevToolsConnection(URI browserEndpoint) {
        try {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(browserEndpoint, new Listener())
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + browserEndpoint, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to Chromium's DevTools at " + browserEndpoint, e);
        }
    }

    /** Receives every event (messages without an id): {@code {"method", "params", "sessionId"}}. */
    void onEvent(Consumer<JsonNode> listener) {
        eventListeners.add(listener);
    }

    /**
     * Sends one command and waits for its result.
     *
     * @param sessionId the tab's session, or null for a browser-level command
     * @throws DevToolsException when the browser answers with an error
     */
    JsonNode command(String sessionId, String method, ObjectNode params) {
        long id = nextId.getAndIncrement();
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? json.createObjectNode() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        if (closedBy != null) {
            pending.remove(id);
            throw new DevToolsException(method + ": the DevTools connection is closed", closedBy);
        }
        try {
            String text = json.writeValueAsString(message);
            // WebSocket allows one outstanding send at a time.
            synchronized (socket) {
                socket.sendText(text, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonNode response = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new DevToolsException(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException(method + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new DevToolsException(method + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new DevToolsException(method + ": no answer from Chromium within " + COMMAND_TIMEOUT, e);
        } finally {
            pending.remove(id);
        }
    }

    ObjectNode params() {
        return json.createObjectNode();
    }

    @Override
    public void close() {
        failPending(new IllegalStateException("connection closed"));
        socket.abort();
    }

    private void failPending(Throwable cause) {
        closedBy = cause;
        pending.values().forEach(future -> future.completeExceptionally(cause));
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            return; // not ours to fix; the command waiting for it times out with a clear message
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        for (Consumer<JsonNode> listener : eventListeners) {
            listener.accept(message);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                dispatch(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("Chromium closed the DevTools connection: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(error);
        }
    }
}
