package io.letterlock.testkit.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SignedZone} served by {@link TestDnsServer}: what its answers carry, and that dnsjava's
 * own validator, trusting the zone's DS, judges them as a validator on the Internet would.
 */
@ExtendWith(FreshDnsServer.class)
class SignedZoneTest {

    private TestDnsServer dns;

    private final SignedZone zone = SignedZone.create("dane.test")
            .mx("dane.test", 10, "mx.dane.test")
            .a("mx.dane.test", "192.0.2.25")
            .tlsa("_25._tcp.mx.dane.test", 3, 1, 1, new byte[32]);

    @Test
    void signsEachAnswerWithTheZoneKeyWhenTheQueryHasTheDoBit() throws Exception {
        dns.serve(zone);

        Message response = ask("mx.dane.test", Type.A, true, true);

        List<Record> answer = response.getSection(Section.ANSWER);
        assertThat(answer).extracting(Record::getType).containsExactly(Type.A, Type.RRSIG);
        DNSSEC.verify(new RRset(answer.get(0)), (RRSIGRecord) answer.get(1), zone.dnskey());
    }

    @Test
    void sendsNoSignaturesWithoutTheDoBit() throws Exception {
        dns.serve(zone);

        Message response = ask("mx.dane.test", Type.A, false, true);

        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.A);
    }

    @Test
    void provesNodataWithTheNsecAtTheName() throws Exception {
        dns.serve(zone);

        Message response = ask("mx.dane.test", Type.AAAA, true, true);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        NSECRecord nsec = nsecs(response).get(0);
        assertThat(nsec.getName()).isEqualTo(Name.fromString("mx.dane.test."));
        assertThat(nsec.hasType(Type.A)).isTrue();
        assertThat(nsec.hasType(Type.AAAA)).isFalse();
    }

    @Test
    void provesNxdomainWithTheNsecsCoveringTheNameAndTheWildcard() throws Exception {
        dns.serve(zone);

        Message response = ask("_25._tcp.other.dane.test", Type.TLSA, true, true);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nsecs(response)).isNotEmpty();
    }

    @Test
    void aValidatorTrustingTheZoneFindsItsAnswersSecure() throws IOException {
        dns.serve(zone);

        assertThat(validated("_25._tcp.mx.dane.test", Type.TLSA).getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(validated("mx.dane.test", Type.AAAA).getHeader().getFlag(Flags.AD)).isTrue();
        Message nxdomain = validated("_25._tcp.nowhere.dane.test", Type.TLSA);
        assertThat(nxdomain.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nxdomain.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void anEmptyNonTerminalIsProvedToHaveNoRecords() throws IOException {
        dns.serve(zone);

        Message response = validated("_tcp.mx.dane.test", Type.TLSA);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void namesBelowAnUnsignedDelegationAreInsecure() throws IOException {
        dns.serve(zone.delegateInsecurely("plain.dane.test")).a("mx.plain.dane.test", "192.0.2.26", 300);

        Message response = validated("mx.plain.dane.test", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
        // Its negative answers carry the child's SOA, not an unsigned one at the signed parent.
        Message nodata = validated("mx.plain.dane.test", Type.AAAA);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void theChainOfTrustRunsFromTheParentsAnchorIntoASignedChild() throws IOException {
        SignedZone parent = SignedZone.create("test");
        SignedZone child = SignedZone.create("child.test").a("mx.child.test", "192.0.2.27");
        dns.serve(parent.delegate(child)).serve(child);

        Message response = validated(parent.trustAnchor(), "mx.child.test", Type.A);

        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void aValidatorRejectsForgedExpiredAndStrippedAnswers() throws IOException {
        dns.serve(zone
                .forge("mx.dane.test", Type.A,
                        new ARecord(Name.fromString("mx.dane.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.66")))
                .expireSignature("dane.test", Type.MX)
                .stripSignature("_25._tcp.mx.dane.test", Type.TLSA));

        assertThat(validated("mx.dane.test", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(validated("dane.test", Type.MX).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(validated("_25._tcp.mx.dane.test", Type.TLSA).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aValidatorWithAnotherKeyAsAnchorFindsTheZoneBogus() throws IOException {
        dns.serve(zone);

        Message response = validated(SignedZone.create("dane.test").trustAnchor(), "mx.dane.test", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void withoutTheCdBitItAnswersAsAValidatingResolver() throws IOException {
        dns.serve(zone.forge("mx.dane.test", Type.A));

        assertThat(ask("dane.test", Type.MX, true, false).getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(ask("dane.test", Type.MX, false, false).getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(ask("mx.dane.test", Type.A, true, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask("mx.dane.test", Type.A, true, true).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    private Message ask(String name, int type, boolean dnssecOk, boolean checkingDisabled) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(2));
        resolver.setEDNS(0, 0, dnssecOk ? ExtendedFlags.DO : 0);
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return resolver.send(query);
    }

    private Message validated(String name, int type) throws IOException {
        return validated(zone.trustAnchor(), name, type);
    }

    private Message validated(String anchor, String name, int type) throws IOException {
        SimpleResolver upstream = new SimpleResolver(dns.address());
        upstream.setTimeout(Duration.ofSeconds(2));
        ValidatingResolver validator = new ValidatingResolver(upstream);
        validator.loadTrustAnchors(new ByteArrayInputStream(anchor.getBytes(StandardCharsets.US_ASCII)));
        return validator.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    }

    private static List<NSECRecord> nsecs(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(NSECRecord.class::isInstance)
                .map(NSECRecord.class::cast)
                .toList();
    }
}
