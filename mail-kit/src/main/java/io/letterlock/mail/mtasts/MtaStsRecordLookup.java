package io.letterlock.mail.mtasts;

import io.letterlock.mail.dns.DnsAnswer;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.dns.TxtTexts;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks DNS for a domain's {@code _mta-sts} TXT record (RFC 8461 §3.1) through the shared
 * {@link DnsClient}, and keeps each answer for its TTL (at most {@code maxTtl}), so that a domain
 * receiving a thousand messages a second is asked about once per TTL, not per message. A changed id
 * is therefore noticed within {@code maxTtl}.
 *
 * <p>Bounded like the route cache: when full, expired answers go; if it is still full, new answers
 * are not kept, which costs queries, never memory.
 */
public final class MtaStsRecordLookup {

    /** RFC 8461 §3.1: the record's owner is this label under the policy domain. */
    public static final String RECORD_LABEL = "_mta-sts";

    private record Entry(MtaStsRecord record, long expiresAtMillis) {
    }

    private final DnsClient dns;
    private final Clock clock;
    private final long maxTtlMillis;
    private final long failureTtlMillis;
    private final int maxEntries;
    private final Map<String, Entry> answers = new ConcurrentHashMap<>();

    /**
     * @param maxTtl     longest an answer is reused, whatever its TTL
     * @param failureTtl how long a failed lookup is remembered (zero: not at all), so that a domain
     *                   whose DNS is down does not cost every message a query timeout
     */
    public MtaStsRecordLookup(DnsClient dns, Clock clock, Duration maxTtl, Duration failureTtl, int maxEntries) {
        this.dns = dns;
        this.clock = clock;
        this.maxTtlMillis = maxTtl.toMillis();
        this.failureTtlMillis = failureTtl.toMillis();
        this.maxEntries = maxEntries;
    }

    /** The record, from an answer still within its TTL or from DNS. Never completes exceptionally. */
    public CompletableFuture<MtaStsRecord> lookup(MailDomain domain) {
        Entry entry = answers.get(domain.text());
        if (entry != null && clock.millis() < entry.expiresAtMillis()) {
            return CompletableFuture.completedFuture(entry.record());
        }
        return lookupAfresh(domain);
    }

    /**
     * The record as DNS says now, whatever was kept: RFC 8461 §5 has the sender check for a new
     * policy before it fails a message for good.
     */
    public CompletableFuture<MtaStsRecord> lookupAfresh(MailDomain domain) {
        Name owner;
        try {
            owner = Name.concatenate(Name.fromString(RECORD_LABEL), domain.name());
        } catch (TextParseException | NameTooLongException e) {
            return CompletableFuture.completedFuture(new MtaStsRecord.Absent(
                    "no _mta-sts name under " + domain + ": " + e.getMessage()));
        }
        String where = owner.toString(true);
        return dns.ask(owner, Type.TXT).thenApply(answer -> {
            MtaStsRecord record;
            long ttlMillis;
            if (answer instanceof DnsAnswer.Found found) {
                record = fromRecords(where, found.records());
                ttlMillis = found.ttlSeconds() * 1000;
            } else if (answer instanceof DnsAnswer.NoData noData) {
                record = new MtaStsRecord.Absent(where + ": no TXT record");
                ttlMillis = noData.negativeTtlSeconds() * 1000;
            } else if (answer instanceof DnsAnswer.NoSuchName noSuchName) {
                record = new MtaStsRecord.Absent(where + " does not exist");
                ttlMillis = noSuchName.negativeTtlSeconds() * 1000;
            } else {
                record = new MtaStsRecord.TemporaryFailure(((DnsAnswer.Failed) answer).reason());
                ttlMillis = failureTtlMillis;
            }
            keep(domain.text(), record, Math.min(ttlMillis, maxTtlMillis));
            return record;
        });
    }

    private static MtaStsRecord fromRecords(String where, List<Record> records) {
        MtaStsRecord record = MtaStsRecord.fromTxt(TxtTexts.of(records));
        return record instanceof MtaStsRecord.Absent absent ? new MtaStsRecord.Absent(where + ": " + absent.reason()) : record;
    }

    private void keep(String domain, MtaStsRecord record, long ttlMillis) {
        if (ttlMillis <= 0) {
            answers.remove(domain);
            return;
        }
        long now = clock.millis();
        if (answers.size() >= maxEntries && !answers.containsKey(domain)) {
            answers.values().removeIf(entry -> now >= entry.expiresAtMillis());
            if (answers.size() >= maxEntries) {
                return;
            }
        }
        answers.put(domain, new Entry(record, now + ttlMillis));
    }
}
