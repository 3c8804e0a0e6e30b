package io.letterlock.events.webhooks.http;

/**
 * A webhook request that got no HTTP answer: refused by the SSRF guard, name not resolved,
 * connection refused or reset, TLS failure, or no complete answer within the timeout. The message
 * says which, in words fit for an operator's log and the test endpoint's reply (never a secret).
 */
public final class WebhookRequestException extends RuntimeException {

    private final boolean refusedByGuard;

    public WebhookRequestException(String message, boolean refusedByGuard, Throwable cause) {
        super(message, cause);
        this.refusedByGuard = refusedByGuard;
    }

    /** True when the target resolved to an address the SSRF guard forbids. */
    public boolean refusedByGuard() {
        return refusedByGuard;
    }
}
