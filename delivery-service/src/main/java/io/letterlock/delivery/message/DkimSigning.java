package io.letterlock.delivery.message;

import io.letterlock.contracts.SendJob;
import io.letterlock.mail.dkim.DkimKey;
import io.letterlock.mail.dkim.DkimSigner;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Signs each composed message whose From domain has a key ({@link DkimConfig#keys()}), as the
 * message's last step, so the signature covers exactly the bytes sent. Messages of other domains
 * go unsigned, as before; a TLS report among them is logged, since RFC 8460 §3 has collectors
 * ignore unsigned reports.
 *
 * <p>Made as the service starts ({@link Startup}): a key that cannot be read stops the start, as
 * README promises. Made at the first use instead, such a service reported itself ready and answered
 * every {@code /v3/mail/send} with 500.
 */
@Startup
@Singleton
public class DkimSigning {

    private static final Logger LOG = Logger.getLogger(DkimSigning.class);

    /** Signing domain → key. */
    private final Map<String, DkimKey> keys;

    @Inject
    public DkimSigning(DkimConfig config) {
        this(config.keys().map(DkimSigning::parse).orElse(List.of()));
        if (!keys.isEmpty()) {
            LOG.infof("DKIM: signing mail from %s", keys.values());
        }
    }

    public DkimSigning(List<DkimKey> keys) {
        Map<String, DkimKey> byDomain = new LinkedHashMap<>();
        for (DkimKey key : keys) {
            if (byDomain.put(key.domain(), key) != null) {
                throw new IllegalArgumentException("letterlock.dkim.keys names " + key.domain() + " twice");
            }
        }
        this.keys = Map.copyOf(byDomain);
    }

    /** Signs nothing. */
    public static DkimSigning none() {
        return new DkimSigning(List.of());
    }

    /**
     * {@code domain:selector:path} entries as {@link DkimConfig#keys()} documents them.
     *
     * @throws IllegalArgumentException naming the entry (never a key) when one is malformed or its
     *                                  key cannot be read: a service that was asked to sign does
     *                                  not start without its keys
     */
    public static List<DkimKey> parse(List<String> entries) {
        return entries.stream().map(String::strip).filter(entry -> !entry.isEmpty()).map(entry -> {
            String[] parts = entry.split(":", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new IllegalArgumentException(
                        "letterlock.dkim.keys: expected domain:selector:/path/to/key.pem, got " + entry);
            }
            return DkimKey.load(parts[0].strip(), parts[1].strip(), Path.of(parts[2].strip()));
        }).toList();
    }

    /** The key for mail from {@code domain}: its own, or the closest parent domain's. */
    public Optional<DkimKey> keyFor(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        while (true) {
            DkimKey key = keys.get(name);
            if (key != null) {
                return Optional.of(key);
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            name = name.substring(dot + 1);
        }
    }

    /** @param message the composed message of {@code job} */
    public byte[] sign(SendJob job, byte[] message) {
        String from = Mailboxes.asciiAddress(job.from().email());
        String domain = from.substring(from.lastIndexOf('@') + 1);
        Optional<DkimKey> key = keyFor(domain);
        if (key.isEmpty()) {
            if (SendJob.TLSRPT_REPORT_TYPE.equals(job.reportType())) {
                LOG.warnf("TLS report job %s goes out unsigned: no DKIM key for %s in letterlock.dkim.keys, "
                        + "and collectors ignore unsigned reports (RFC 8460 §3)", job.jobId(), domain);
            }
            return message;
        }
        return DkimSigner.sign(message, key.get());
    }
}
