package io.letterlock.mail.tlsrpt;

import io.letterlock.mail.dns.DnsAnswer;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.dns.TxtTexts;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.concurrent.CompletableFuture;

/**
 * Asks DNS, through the shared {@link DnsClient}, where a domain wants its TLS reports: the TXT
 * record at {@code _smtp._tls.<domain>} (RFC 8460 §3), read by {@link TlsRptRecord#fromTxt}. Asked
 * once per report, so nothing is kept: a record changed since yesterday is today's answer.
 */
public final class TlsRptRecordLookup {

    /** RFC 8460 §3: the record's owner is this name under the policy domain. */
    public static final String RECORD_LABEL = "_smtp._tls";

    /** What DNS said. */
    public sealed interface Answer {

        /** The domain's one usable record. */
        record Found(TlsRptRecord record) implements Answer {
        }

        /** The domain wants no reports: no record, several, or none usable (RFC 8460 §3). */
        record None(String reason) implements Answer {
        }

        /** DNS gave no usable answer now (SERVFAIL, timeout): ask again later. */
        record TemporaryFailure(String reason) implements Answer {
        }
    }

    private final DnsClient dns;

    public TlsRptRecordLookup(DnsClient dns) {
        this.dns = dns;
    }

    /** Never completes exceptionally. */
    public CompletableFuture<Answer> lookup(MailDomain domain) {
        Name owner;
        try {
            owner = Name.concatenate(Name.fromString(RECORD_LABEL), domain.name());
        } catch (TextParseException | NameTooLongException e) {
            return CompletableFuture.completedFuture(new Answer.None("no " + RECORD_LABEL + " name under " + domain
                    + ": " + e.getMessage()));
        }
        String where = owner.toString(true);
        return dns.ask(owner, Type.TXT).thenApply(answer -> {
            if (answer instanceof DnsAnswer.Found found) {
                return TlsRptRecord.fromTxt(TxtTexts.of(found.records())).<Answer>map(Answer.Found::new)
                        .orElseGet(() -> new Answer.None(where + ": no single usable v=TLSRPTv1 record"));
            }
            if (answer instanceof DnsAnswer.NoData) {
                return new Answer.None(where + ": no TXT record");
            }
            if (answer instanceof DnsAnswer.NoSuchName) {
                return new Answer.None(where + " does not exist");
            }
            return new Answer.TemporaryFailure(where + ": " + ((DnsAnswer.Failed) answer).reason());
        }).exceptionally(error -> new Answer.TemporaryFailure(where + ": " + error));
    }
}
