package io.letterlock.mail.dns;

import org.xbill.DNS.Record;

import java.util.List;

/** What one DNS question got back, reduced to what routing decides on. */
public sealed interface DnsAnswer {

    /**
     * Records of the asked type, at the end of any CNAME chain.
     *
     * @param ttlSeconds the smallest TTL among them and the CNAMEs that led to them
     */
    record Found(List<Record> records, long ttlSeconds) implements DnsAnswer {
        public Found {
            records = List.copyOf(records);
        }
    }

    /**
     * NOERROR without records of the type: the name exists (RFC 2308 §2.2).
     *
     * @param negativeTtlSeconds how long this may be cached (RFC 2308 §5); 0 without an SOA
     */
    record NoData(long negativeTtlSeconds) implements DnsAnswer {
    }

    /**
     * NXDOMAIN: the name does not exist (RFC 2308 §2.1).
     *
     * @param negativeTtlSeconds how long this may be cached (RFC 2308 §5); 0 without an SOA
     */
    record NoSuchName(long negativeTtlSeconds) implements DnsAnswer {
    }

    /** No usable answer now: SERVFAIL, REFUSED, a timeout, a network error. */
    record Failed(String reason) implements DnsAnswer {
    }
}
