package io.letterlock.events.webhooks.settings;

import io.letterlock.service.net.AddressGuard;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go (SSRF guard). A webhook URL is chosen by a customer but fetched from inside
 * the operator's network, so its addresses must pass the shared {@link AddressGuard}, with the
 * operator's {@code LETTERLOCK_WEBHOOK_ALLOW}. The check runs when the URL is stored and again on
 * every connection, on the address actually connected to, so a name that later resolves elsewhere
 * (DNS rebinding) gets nowhere. Beyond addresses, a URL must be http(s) and carry no user info.
 */
public final class WebhookUrlCheck {

    private final AddressGuard addresses;

    public WebhookUrlCheck(AddressGuard addresses) {
        this.addresses = addresses;
    }

    /** Why a webhook may not connect to this address; empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        return addresses.refusal(address);
    }

    /**
     * A URL fit to store: absolute http or https, a host, no user name or password (they would be
     * sent to whoever the host is and shown wherever the URL is), and every address the host
     * resolves to allowed. A host that does not resolve yet is accepted (its DNS may be on its
     * way); the check on connection decides then.
     *
     * @throws RefusedUrlException saying what is wrong, fit for the API's error message
     */
    public URI checkUrl(String url) {
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
            Optional<String> refusal = refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedUrlException("url host " + uri.getHost() + ": " + refusal.get()
                        + "; webhooks go to public addresses only unless the operator allows the range");
            }
        }
        return uri;
    }

    /** A webhook target that may not be used, with a message fit for the caller. */
    public static final class RefusedUrlException extends RuntimeException {
        public RefusedUrlException(String message) {
            super(message);
        }
    }
}
