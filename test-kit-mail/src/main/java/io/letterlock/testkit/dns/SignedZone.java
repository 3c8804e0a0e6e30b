package io.letterlock.testkit.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNSSEC-signed zone for tests (RFC 4033–4035), served by {@link TestDnsServer#serve(SignedZone)}.
 * Its key is made in the test run (ECDSA P-256, algorithm 13, RFC 6605), so no committed key ever
 * expires; a test gives a validator {@link #trustAnchor()} (or the parent zone's DS, through
 * {@link #delegate(SignedZone)}) and the validator checks the answers as it would on the Internet.
 *
 * <pre>{@code
 * SignedZone zone = SignedZone.create("dane.test")
 *         .mx("dane.test", 10, "mx.dane.test").a("mx.dane.test", "127.0.0.1")
 *         .tlsa("_25._tcp.mx.dane.test", 3, 1, 1, digest);
 * dns.serve(zone);
 * // validator: trust anchor zone.trustAnchor(), resolver dns.hostAndPort()
 * }</pre>
 *
 * <p>Answers are signed when they are sent (signatures valid from an hour ago to a day ahead), so
 * records may be added at any time. Negative answers carry the zone's SOA and the NSEC records that
 * prove them (RFC 4035 §3.1.3): the NSEC at the name for NODATA (or the one covering an empty
 * non-terminal), the ones covering the name and the wildcard at its closest encloser for NXDOMAIN.
 * RRSIG and NSEC records are sent only to queries with the DO bit (RFC 4035 §3.1.1). One key signs
 * everything (a combined signing key with the SEP flag). Not modelled: wildcards, NSEC3, glue.
 *
 * <p>Faults, each for one RRset: {@link #expireSignature}, {@link #stripSignature} and
 * {@link #forge} (records altered after signing). Served to a query without the CD bit (a
 * stub asking a validating resolver), a faulty answer is SERVFAIL, and a sound one carries the AD
 * bit when the query had DO or AD set (RFC 6840 §5.7), as a validating resolver would answer; a
 * query with CD (a validator of its own) gets the records as they are.
 */
public final class SignedZone {

    private static final int KEY_FLAGS = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;
    private static final long TTL = 300;
    private static final Duration SIGNED_BEFORE_NOW = Duration.ofHours(1);
    private static final Duration VALID_AFTER_NOW = Duration.ofDays(1);
    private static final Name ASTERISK = Name.fromConstantString("*");

    private record RrsetKey(Name name, int type) {
    }

    /** An RRset as signed: its records as text (TTLs included) and whether the signature is expired. */
    private record Signed(List<String> rrset, boolean expired) {
    }

    /** What an answer held: whether any of it was one of the zone's faults. */
    record Served(boolean faulty) {
    }

    private final Name origin;
    private final KeyPair keys;
    private final DNSKEYRecord dnskey;
    private final Map<Name, List<Record>> records = new HashMap<>();
    /** Delegation points: the DS records for a signed child, none for an unsigned one. */
    private final Map<Name, List<DSRecord>> delegations = new LinkedHashMap<>();
    private final Set<RrsetKey> expired = new HashSet<>();
    private final Set<RrsetKey> unsigned = new HashSet<>();
    private final Map<RrsetKey, List<Record>> forged = new HashMap<>();
    private final Map<Signed, RRSIGRecord> signatures = new ConcurrentHashMap<>();
    private long negativeTtl = TTL;

    private SignedZone(Name origin, KeyPair keys, DNSKEYRecord dnskey) {
        this.origin = origin;
        this.keys = keys;
        this.dnskey = dnskey;
    }

    /** An empty zone at {@code origin} with a fresh key; only its SOA and DNSKEY exist. */
    public static SignedZone create(String origin) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Name name = name(origin);
            DNSKEYRecord dnskey = new DNSKEYRecord(name, DClass.IN, TTL, KEY_FLAGS, DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
            return new SignedZone(name, keys, dnskey);
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot make a zone key for " + origin, e);
        }
    }

    public Name origin() {
        return origin;
    }

    /** The zone's key (flags 257, algorithm 13). */
    public DNSKEYRecord dnskey() {
        return dnskey;
    }

    /** The DS record of the zone's key (SHA-256, RFC 4509), as its parent would publish it. */
    public DSRecord ds() {
        return new DSRecord(origin, DClass.IN, TTL, DNSSEC.Digest.SHA256, dnskey);
    }

    /**
     * The trust anchor for a validator, in master-file form ({@code dane.test. 300 IN DS 12345 13 2
     * …}), as dnsjava's {@code ValidatingResolver.loadTrustAnchors} and unbound's anchor files read it.
     */
    public String trustAnchor() {
        return ds() + "\n";
    }

    // ---- records ----

    /** Adds any record; its owner must be at or below the origin. */
    public synchronized SignedZone record(Record record) {
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException(record.getName() + " is not in the zone " + origin);
        }
        records.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
        return this;
    }

    public SignedZone mx(String domain, int preference, String exchange) {
        return record(new MXRecord(name(domain), DClass.IN, TTL, preference, name(exchange)));
    }

    public SignedZone a(String host, String ipv4) {
        return record(new ARecord(name(host), DClass.IN, TTL, address(ipv4, Address.IPv4)));
    }

    public SignedZone aaaa(String host, String ipv6) {
        return record(new AAAARecord(name(host), DClass.IN, TTL, address(ipv6, Address.IPv6)));
    }

    public SignedZone cname(String alias, String target) {
        return record(new CNAMERecord(name(alias), DClass.IN, TTL, name(target)));
    }

    /** A TLSA record (RFC 6698 §2): {@code usage selector matchingType data}. */
    public SignedZone tlsa(String owner, int usage, int selector, int matchingType, byte[] data) {
        return record(new TLSARecord(name(owner), DClass.IN, TTL, usage, selector, matchingType, data));
    }

    /**
     * Delegates {@code child} to an unsigned zone: an NS record and an NSEC that proves it has no DS
     * (RFC 4035 §5.2), so names below it are provably insecure. What is below it is answered from
     * the server's plain records ({@link TestDnsServer#a} and the like), unsigned.
     */
    public synchronized SignedZone delegateInsecurely(String child) {
        Name cut = name(child);
        requireBelowOrigin(cut);
        delegations.put(cut, List.of());
        return this;
    }

    /**
     * Delegates to a signed child zone: an NS record and the child's DS, signed here, so a validator
     * that trusts this zone follows the chain of trust into the child (RFC 4035 §5).
     */
    public synchronized SignedZone delegate(SignedZone child) {
        requireBelowOrigin(child.origin);
        delegations.put(child.origin, List.of(child.ds()));
        return this;
    }

    /** TTL and MINIMUM of the SOA, the TTL of NSEC records (RFC 4035 §2.3); 300 s unless set. */
    public synchronized SignedZone negativeTtl(long seconds) {
        negativeTtl = seconds;
        return this;
    }

    // ---- faults ----

    /** Signs this RRset with a signature that expired yesterday (RFC 4035 §5.3.1: bogus). */
    public synchronized SignedZone expireSignature(String owner, int type) {
        expired.add(new RrsetKey(name(owner), type));
        return this;
    }

    /** Serves this RRset without its RRSIG, as a downgrading attacker would (RFC 4035 §5.5: bogus). */
    public synchronized SignedZone stripSignature(String owner, int type) {
        unsigned.add(new RrsetKey(name(owner), type));
        return this;
    }

    /**
     * Serves {@code served} in place of the RRset at {@code owner}/{@code type}, with the signature
     * of the genuine one: records altered after signing, which no validator may accept.
     */
    public synchronized SignedZone forge(String owner, int type, Record... served) {
        forged.put(new RrsetKey(name(owner), type), List.of(served));
        return this;
    }

    // ---- answering (for TestZone) ----

    /** True when this zone, not a child, answers {@code qname}/{@code qtype}; a DS at a cut is the parent's. */
    synchronized boolean answers(Name qname, int qtype) {
        if (!qname.subdomain(origin) || (qname.equals(origin) && qtype == Type.DS)) {
            return false; // RFC 4035 §2.4: the DS at a zone's apex is its parent's
        }
        Optional<Name> cut = delegationAbove(qname);
        return cut.isEmpty() || (cut.get().equals(qname) && qtype == Type.DS);
    }

    /** How many labels the origin has: of two zones that could answer, the deeper one does. */
    int depth() {
        return origin.labels();
    }

    /** Fills {@code response} for a question this zone {@link #answers}. */
    synchronized Served answer(Name qname, int qtype, boolean dnssec, Message response) {
        boolean faulty = false;
        Name current = qname;
        Set<Name> seen = new HashSet<>();
        while (seen.add(current)) {
            List<Record> atName = recordsAt(current);
            List<Record> ofType = atName.stream().filter(r -> r.getType() == qtype).toList();
            if (!ofType.isEmpty()) {
                return new Served(addRrset(ofType, dnssec, response, Section.ANSWER) | faulty);
            }
            Optional<Record> alias = atName.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
            if (alias.isPresent() && qtype != Type.CNAME) {
                // RFC 4035 §3.1.4 / RFC 1034 §3.6.2: the signed CNAME, then what its target answers.
                faulty |= addRrset(List.of(alias.get()), dnssec, response, Section.ANSWER);
                Name target = ((CNAMERecord) alias.get()).getTarget();
                if (!target.subdomain(origin) || delegationAbove(target).isPresent()) {
                    return new Served(faulty); // out of this zone: the client asks again
                }
                current = target;
                continue;
            }
            return new Served(deny(current, qtype, dnssec, response) | faulty);
        }
        return new Served(faulty); // a CNAME loop: leave the answer as far as it got
    }

    /** NODATA or NXDOMAIN with the SOA and the NSEC records that prove it (RFC 4035 §3.1.3). */
    private boolean deny(Name qname, int qtype, boolean dnssec, Message response) {
        boolean faulty = addRrset(List.of(soa()), dnssec, response, Section.AUTHORITY);
        if (!dnssec) {
            if (!exists(qname)) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            return faulty;
        }
        TreeSet<Name> owners = nsecOwners();
        Set<Name> proofs = new TreeSet<>(); // one NSEC may prove both, and is sent once
        if (exists(qname)) {
            // §3.1.3.1 NODATA: the NSEC at the name; an empty non-terminal has none, and the one
            // covering it proves it has no records at all (RFC 4035 §3.1.3.2, RFC 4592 §4.1).
            proofs.add(owners.contains(qname) ? qname : owners.lower(qname));
        } else {
            // §3.1.3.2 Name Error: the name is covered, and so is the wildcard that could have made it.
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            proofs.add(owners.lower(qname));
            Name wildcard = wildcardAt(closestEncloser(qname));
            proofs.add(owners.contains(wildcard) ? wildcard : owners.lower(wildcard));
        }
        for (Name owner : proofs) {
            faulty |= addRrset(List.of(nsec(owner, owners)), true, response, Section.AUTHORITY);
        }
        return faulty;
    }

    /** Adds an RRset (and its RRSIG when asked) to a section; true when a fault was served. */
    private boolean addRrset(List<Record> rrset, boolean dnssec, Message response, int section) {
        Record first = rrset.get(0);
        RrsetKey key = new RrsetKey(first.getName(), first.getType());
        List<Record> served = forged.getOrDefault(key, rrset);
        served.forEach(r -> response.addRecord(r, section));
        boolean faulty = forged.containsKey(key) || expired.contains(key) || unsigned.contains(key);
        boolean delegationNs = first.getType() == Type.NS && delegations.containsKey(first.getName());
        // RFC 4035 §2.2: the NS RRset at a delegation point is not signed; everything else is.
        if (dnssec && !unsigned.contains(key) && !delegationNs) {
            response.addRecord(sign(rrset, expired.contains(key)), section);
        }
        return faulty;
    }

    /**
     * Each RRset's signature made once, as an authoritative server serves a zone signed beforehand:
     * signing every answer anew would cost a benchmark's DNS server more than the validator it feeds.
     */
    private RRSIGRecord sign(List<Record> rrset, boolean expiredSignature) {
        return signatures.computeIfAbsent(new Signed(rrset.stream().map(Record::toString).toList(), expiredSignature),
                signed -> signNow(rrset, expiredSignature));
    }

    private RRSIGRecord signNow(List<Record> rrset, boolean expiredSignature) {
        Instant now = Instant.now();
        Instant inception = expiredSignature ? now.minus(Duration.ofDays(10)) : now.minus(SIGNED_BEFORE_NOW);
        Instant expiration = expiredSignature ? now.minus(Duration.ofDays(1)) : now.plus(VALID_AFTER_NOW);
        try {
            return DNSSEC.sign(new RRset(rrset.toArray(Record[]::new)), dnskey, keys.getPrivate(), inception,
                    expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + rrset, e);
        }
    }

    /** The records at a name, with what the zone itself adds: SOA and DNSKEY at the apex, NS and DS at cuts. */
    private List<Record> recordsAt(Name name) {
        List<Record> at = new ArrayList<>(records.getOrDefault(name, List.of()));
        if (name.equals(origin)) {
            at.add(soa());
            at.add(dnskey);
        }
        List<DSRecord> ds = delegations.get(name);
        if (ds != null) {
            at.add(new NSRecord(name, DClass.IN, TTL, nameServer()));
            at.addAll(ds);
        }
        return at;
    }

    /** The names that own records here (and so an NSEC), in canonical order (RFC 4034 §6.1). */
    private TreeSet<Name> nsecOwners() {
        TreeSet<Name> owners = new TreeSet<>();
        owners.add(origin);
        owners.addAll(delegations.keySet());
        for (Name owner : records.keySet()) {
            if (delegationAbove(owner).filter(cut -> !cut.equals(owner)).isEmpty()) {
                owners.add(owner);
            }
        }
        return owners;
    }

    /** RFC 4034 §4: the NSEC at {@code owner}, naming the next owner and the types present. */
    private NSECRecord nsec(Name owner, TreeSet<Name> owners) {
        Name next = owners.higher(owner);
        Set<Integer> types = new TreeSet<>();
        recordsAt(owner).forEach(r -> types.add(r.getType()));
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        return new NSECRecord(owner, DClass.IN, negativeTtl, next == null ? origin : next,
                types.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The name exists in the zone: it owns records, or is an empty non-terminal above some that do. */
    private boolean exists(Name name) {
        for (Name owner : nsecOwners()) {
            if (owner.subdomain(name)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4592 §3.3.1: the longest existing ancestor of a name that does not exist. */
    private Name closestEncloser(Name name) {
        for (int strip = 1; strip < name.labels(); strip++) {
            Name ancestor = new Name(name, strip);
            if (exists(ancestor)) {
                return ancestor;
            }
        }
        return origin;
    }

    private static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(ASTERISK, encloser);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The delegation point at or above {@code name}, if it lies in a child zone. */
    synchronized Optional<Name> delegationAbove(Name name) {
        return delegations.keySet().stream().filter(name::subdomain).findFirst();
    }

    private SOARecord soa() {
        return new SOARecord(origin, DClass.IN, negativeTtl, nameServer(), hostmaster(), 1, 3600, 600, 86400,
                negativeTtl);
    }

    private Name nameServer() {
        return relative("ns");
    }

    private Name hostmaster() {
        return relative("hostmaster");
    }

    private Name relative(String label) {
        try {
            return Name.concatenate(Name.fromConstantString(label), origin);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalStateException(e);
        }
    }

    private void requireBelowOrigin(Name name) {
        if (!name.subdomain(origin) || name.equals(origin)) {
            throw new IllegalArgumentException(name + " is not below the zone " + origin);
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static InetAddress address(String ip, int family) {
        try {
            return Address.getByAddress(ip, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? 4 : 6) + " address: " + ip, e);
        }
    }
}
