package io.letterlock.events.webhooks.settings;

import io.letterlock.service.net.AddressGuard;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a subscription may use, as its webhook URL or its OAuth token URL. Such a URL is
 * chosen by a customer but fetched from inside the operator's network, so beyond the addresses the
 * webhooks' {@link AddressGuard} allows (with the operator's {@code LETTERLOCK_WEBHOOK_ALLOW}), a
 * URL must be http(s) and carry no user info. The guard runs again on every connection, on the
 * address actually connected to ({@code WebhookHttpClient}), so a name that later resolves
 * elsewhere (DNS rebinding) gets nowhere.
 */
public final class WebhookUrlCheck {

    private WebhookUrlCheck() {
    }

    /**
     * A URL fit to store: absolute http or https, a host, no user name or password (they would be
     * sent to whoever the host is and shown wherever the URL is), and every address the host
     * resolves to allowed by {@code guard}. A host that does not resolve yet is accepted (its
     * DNS may be on its way); the check on connection decides then.
     *
     * @throws RefusedUrlException saying what is wrong, fit for the API's error message
     */
    public static URI check(String url, AddressGuard guard) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedUrlException("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrlException("url must start with https:// or http://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedUrlException("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedUrlException("url must not carry a user name or password; use OAuth or signatures");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return uri;
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = guard.refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedUrlException("url host " + uri.getHost() + ": " + refusal.get()
                        + "; webhooks go to public addresses only unless the operator allows the range");
            }
        }
        return uri;
    }

    /** A URL a webhook or a token fetch may not use, with a message fit for the caller. */
    public static final class RefusedUrlException extends RuntimeException {
        public RefusedUrlException(String message) {
            super(message);
        }
    }
}
