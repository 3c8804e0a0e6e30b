package io.letterlock.testkit.dns;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answers {@link TestDnsServer} gives: the records and the per-name misbehaviours tests set up,
 * turned into a response for each query. Kept apart from the sockets so the answering rules read
 * on their own. Every method is synchronized: tests change answers while the server threads read.
 */
final class TestZone {

    /** How a name (or a name and type) misbehaves instead of answering from its records. */
    enum Misbehaviour { NXDOMAIN, SERVFAIL, NO_ANSWER }

    private record NameAndType(Name name, int type) {
    }

    // Enough for any chain a test builds; a loop of CNAMEs must not hang the server thread.
    private static final int MAX_CNAME_HOPS = 8;

    private final Map<Name, List<Record>> records = new HashMap<>();
    private final Set<Name> existingWithoutRecords = new HashSet<>();
    private final Map<Name, Misbehaviour> nameMisbehaviours = new HashMap<>();
    private final Map<NameAndType, Misbehaviour> typeMisbehaviours = new HashMap<>();
    private final Map<NameAndType, Integer> queryCounts = new HashMap<>();
    private final List<SignedZone> signedZones = new ArrayList<>();
    private long negativeTtl = 300;

    synchronized void add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
    }

    synchronized void markExisting(Name name) {
        existingWithoutRecords.add(name);
    }

    synchronized void misbehave(Name name, Misbehaviour misbehaviour) {
        nameMisbehaviours.put(name, misbehaviour);
    }

    synchronized void misbehave(Name name, int type, Misbehaviour misbehaviour) {
        typeMisbehaviours.put(new NameAndType(name, type), misbehaviour);
    }

    synchronized void serve(SignedZone zone) {
        signedZones.removeIf(served -> served.origin().equals(zone.origin()));
        signedZones.add(zone);
    }

    synchronized void negativeTtl(long seconds) {
        negativeTtl = seconds;
    }

    synchronized void forget(Name name) {
        records.remove(name);
        existingWithoutRecords.remove(name);
        nameMisbehaviours.remove(name);
        typeMisbehaviours.keySet().removeIf(key -> key.name().equals(name));
    }

    synchronized int queryCount(Name name, int type) {
        return queryCounts.getOrDefault(new NameAndType(name, type), 0);
    }

    synchronized int queryCount() {
        return queryCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized void resetQueryCounts() {
        queryCounts.clear();
    }

    /** The response to one query, or empty when the server should stay silent (a timeout). */
    synchronized Optional<Message> answer(Message query) {
        Record question = query.getQuestion();
        Message response = emptyResponse(query);
        if (query.getHeader().getOpcode() != Opcode.QUERY || question == null) {
            response.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
            return Optional.of(response);
        }
        queryCounts.merge(new NameAndType(question.getName(), question.getType()), 1, Integer::sum);
        return answerFollowingCnames(question.getName(), question.getType(), response, 0, query);
    }

    private Optional<Message> answerFollowingCnames(Name name, int type, Message response, int hops,
                                                    Message query) {
        Misbehaviour misbehaviour = typeMisbehaviours.getOrDefault(
                new NameAndType(name, type), nameMisbehaviours.get(name));
        if (misbehaviour == Misbehaviour.NO_ANSWER) {
            return Optional.empty();
        }
        if (misbehaviour == Misbehaviour.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return Optional.of(response);
        }
        Optional<SignedZone> signed = signedZones.stream()
                .filter(zone -> zone.answers(name, type))
                .max(Comparator.comparingInt(SignedZone::depth));
        if (signed.isPresent()) {
            return Optional.of(signedAnswer(signed.get(), name, type, response, query));
        }
        List<Record> atName = records.getOrDefault(name, List.of());
        if (misbehaviour == Misbehaviour.NXDOMAIN
                || (atName.isEmpty() && !existingWithoutRecords.contains(name))) {
            // RFC 2308 §2.1: NXDOMAIN carries the zone's SOA so the answer can be cached.
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soaFor(name), Section.AUTHORITY);
            return Optional.of(response);
        }
        List<Record> ofType = atName.stream().filter(r -> r.getType() == type).toList();
        if (!ofType.isEmpty()) {
            ofType.forEach(r -> response.addRecord(r, Section.ANSWER));
            return Optional.of(response);
        }
        Optional<Record> cname = atName.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
        if (cname.isPresent() && hops < MAX_CNAME_HOPS) {
            // Like a recursive resolver: the alias, then the answer for its target (RFC 1034 §3.6.2).
            response.addRecord(cname.get(), Section.ANSWER);
            return answerFollowingCnames(((CNAMERecord) cname.get()).getTarget(), type, response, hops + 1, query);
        }
        // RFC 2308 §2.2: NODATA is NOERROR, an empty answer and the SOA in the authority section.
        response.addRecord(soaFor(name), Section.AUTHORITY);
        return Optional.of(response);
    }

    /**
     * A signed zone's answer. With CD set (RFC 4035 §3.2.2) the client validates itself and gets
     * the records as they are, faults included; without it this server plays a validating resolver:
     * SERVFAIL for a faulty answer, the AD bit on a sound one when DO or AD asked for it (RFC 6840 §5.7).
     */
    private static Message signedAnswer(SignedZone zone, Name name, int type, Message response, Message query) {
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        SignedZone.Served served = zone.answer(name, type, dnssecOk, response);
        if (query.getHeader().getFlag(Flags.CD)) {
            return response;
        }
        if (served.faulty()) {
            response.removeAllRecords(Section.ANSWER);
            response.removeAllRecords(Section.AUTHORITY);
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (dnssecOk || query.getHeader().getFlag(Flags.AD)) {
            response.getHeader().setFlag(Flags.AD);
        }
        return response;
    }

    private static Message emptyResponse(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return response;
    }

    /**
     * The SOA of the zone a name is in. Every name is taken to sit in the zone of its last two
     * labels ({@code mx1.example.com} in {@code example.com}): real zone cuts do not matter to the
     * resolvers under test, only the SOA's TTL and MINIMUM do (RFC 2308 §5). Below a signed zone's
     * delegation the cut is the zone, as a validator checks that the SOA is not the signed parent's.
     */
    private SOARecord soaFor(Name name) {
        Name zone = signedZones.stream()
                .map(signed -> signed.delegationAbove(name))
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(name.labels() > 3 ? new Name(name, name.labels() - 3) : name);
        try {
            return new SOARecord(zone, DClass.IN, negativeTtl,
                    Name.fromString("ns.test-dns.invalid."), Name.fromString("hostmaster.test-dns.invalid."),
                    1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
