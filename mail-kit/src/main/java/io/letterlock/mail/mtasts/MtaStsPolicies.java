package io.letterlock.mail.mtasts;

import io.letterlock.mail.dns.DnsClient;

import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.concurrent.SingleFlight;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MTA-STS policy that applies to mail for a recipient domain (RFC 8461 §5.1): the kept one,
 * or a freshly fetched one, as {@link PolicyRefresh} decides from the {@code _mta-sts} record.
 * Lookups never block a thread, and concurrent lookups of one domain share one DNS query and one
 * fetch.
 *
 * <p>Seams for the service that runs it: the {@link PolicyStore} (shared by all instances, e.g. a
 * compacted topic), the {@link PolicyFetcher} with its {@link AddressCheck} and trusted roots, and
 * the {@link MtaStsRecordLookup} over the service's one {@link io.letterlock.mail.dns.DnsClient}.
 * Failed fetches are remembered here, per instance, only to space out retries.
 */
public final class MtaStsPolicies {

    private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class);
    private static final String RECHECK = " (rechecked)";

    private final MtaStsRecordLookup records;
    private final PolicyFetcher fetcher;
    private final PolicyStore store;
    private final PolicyRefresh refresh;
    private final Clock clock;
    private final int maxRemembered;
    private final Duration retryAfterFailedFetch;
    private final Map<String, FailedFetch> failures = new ConcurrentHashMap<>();
    private final SingleFlight<String, PolicyLookup> inFlight = new SingleFlight<>();

    public MtaStsPolicies(MtaStsRecordLookup records, PolicyFetcher fetcher, PolicyStore store,
                          MtaStsSettings settings, Clock clock) {
        this.records = records;
        this.fetcher = fetcher;
        this.store = store;
        this.refresh = new PolicyRefresh(settings);
        this.clock = clock;
        this.maxRemembered = settings.maxDomains();
        this.retryAfterFailedFetch = settings.retryAfterFailedFetch();
    }

    /**
     * With {@link MtaStsSettings#defaults()}: TXT records asked through {@code dns}, the service's
     * one resolver, the policies kept in {@code store}.
     */
    public static MtaStsPolicies withDefaults(DnsClient dns, PolicyFetcher fetcher, PolicyStore store, Clock clock) {
        MtaStsSettings settings = MtaStsSettings.defaults();
        return new MtaStsPolicies(new MtaStsRecordLookup(dns, clock, settings.maxRecordTtl(), settings.recordFailureTtl(),
                settings.maxDomains()), fetcher, store, settings, clock);
    }

    /**
     * The policy for mail to {@code domain} (as in the recipient address; U-labels are fine). Never
     * completes exceptionally. May complete on a DNS or fetch thread: callbacks must not block.
     */
    public CompletableFuture<PolicyLookup> policyFor(String domain) {
        return lookup(domain, false);
    }

    /**
     * As {@link #policyFor}, but asking DNS for the record even if a recent answer is kept. RFC 8461
     * §5: "a compliant MTA MUST NOT permanently fail to deliver messages before checking, via DNS,
     * for the presence of an updated policy": call this before a message that failed under
     * {@code enforce} ends with a bounce.
     */
    public CompletableFuture<PolicyLookup> recheckedPolicyFor(String domain) {
        return lookup(domain, true);
    }

    private CompletableFuture<PolicyLookup> lookup(String text, boolean recheck) {
        Optional<MailDomain> parsed = MailDomain.parse(text);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new PolicyLookup.NoPolicy("'" + text + "' is not a domain name", Optional.empty()));
        }
        MailDomain domain = parsed.get();
        String key = recheck ? domain.text() + RECHECK : domain.text();
        return inFlight.run(key, () -> (recheck ? records.lookupAfresh(domain) : records.lookup(domain))
                .thenCompose(record -> decide(domain, record))
                .exceptionally(error -> {
                    LOG.errorf(error, "MTA-STS lookup for %s failed unexpectedly", domain);
                    return new PolicyLookup.TemporaryFailure("MTA-STS lookup failed: " + error);
                }));
    }

    private CompletableFuture<PolicyLookup> decide(MailDomain parsed, MtaStsRecord record) {
        String domain = parsed.text();
        Instant now = clock.instant();
        Optional<CachedPolicy> kept = store.get(domain);
        RefreshStep step = refresh.next(kept, record, Optional.ofNullable(failures.get(domain)), now);
        if (step instanceof RefreshStep.Done done) {
            forgetIfExpired(domain, kept, now);
            return CompletableFuture.completedFuture(done.lookup());
        }
        RefreshStep.Fetch fetch = (RefreshStep.Fetch) step;
        return fetcher.fetch(parsed).thenApply(result -> {
            Instant fetchedAt = clock.instant();
            RefreshStep.AfterFetch after = refresh.afterFetch(domain, fetch, result, fetchedAt);
            if (after.keep().isPresent()) {
                store.put(after.keep().get());
            } else {
                forgetIfExpired(domain, kept, fetchedAt);
            }
            after.failed().ifPresentOrElse(failed -> remember(domain, failed), () -> failures.remove(domain));
            log(domain, fetch, result, after);
            return after.lookup();
        });
    }

    /** An expired policy is never applied again: its entry goes (a tombstone on a compacted topic). */
    private void forgetIfExpired(String domain, Optional<CachedPolicy> kept, Instant now) {
        if (kept.isPresent() && kept.get().isExpiredAt(now)) {
            store.remove(domain);
        }
    }

    /** Bounded: when full, failures older than the retry wait go; if still full, this one is not kept. */
    private void remember(String domain, FailedFetch failed) {
        if (failures.size() >= maxRemembered && !failures.containsKey(domain)) {
            Instant now = clock.instant();
            failures.values().removeIf(old -> !now.isBefore(old.at().plus(retryAfterFailedFetch)));
            if (failures.size() >= maxRemembered) {
                return;
            }
        }
        failures.put(domain, failed);
    }

    /** One line per fetch, as every delivery attempt gets one. */
    private static void log(String domain, RefreshStep.Fetch fetch, PolicyFetch result, RefreshStep.AfterFetch after) {
        if (result instanceof PolicyFetch.Fetched fetched) {
            MtaStsPolicy policy = fetched.policy();
            LOG.infof("MTA-STS: domain=%s id=%s fetched (%s): mode=%s mx=%s max_age=%d", domain, fetch.id(),
                    fetch.why(), policy.mode().text(), policy.mx(), policy.maxAge().toSeconds());
            return;
        }
        PolicyFetch.FetchFailed failed = (PolicyFetch.FetchFailed) result;
        String outcome = after.lookup() instanceof PolicyLookup.Applies applies
                ? "keeping id " + applies.policy().id() + " until " + applies.policy().expiresAt()
                : "no policy applies";
        // RFC 8461 §3.3: alert administrators when a refresh fails, "unless the cached policy mode is none".
        boolean quiet = fetch.fallback().map(kept -> kept.policy().mode() == PolicyMode.NONE).orElse(false);
        LOG.logf(quiet ? Logger.Level.DEBUG : Logger.Level.WARN, "MTA-STS: domain=%s id=%s fetch failed (%s, %s): %s; %s",
                domain, fetch.id(), fetch.why(), failed.resultType().text(), failed.reason(), outcome);
    }
}
