package io.letterlock.testkit.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(FreshDnsServer.class)
class TestDnsServerTest {

    private TestDnsServer dns; // a fresh one for each test

    @Test
    void answersMxRecordsWithTheirPreferenceExchangeAndTtl() throws IOException {
        dns.mx("example.com", 10, "mx1.example.com", 120);

        Message response = ask("example.com", Type.MX, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        MXRecord mx = (MXRecord) response.getSection(Section.ANSWER).get(0);
        assertThat(mx.getPriority()).isEqualTo(10);
        assertThat(mx.getTarget()).isEqualTo(Name.fromString("mx1.example.com."));
        assertThat(mx.getTTL()).isEqualTo(120);
    }

    @Test
    void answersEachTxtRecordWithItsCharacterStrings() throws IOException {
        dns.txt("_mta-sts.example.com", 60, "v=STSv1; ", "id=20260101;")
                .txt("_mta-sts.example.com", 60, "something else");

        List<Record> answer = ask("_mta-sts.example.com", Type.TXT, false).getSection(Section.ANSWER);

        assertThat(answer).map(record -> ((TXTRecord) record).getStrings())
                .containsExactlyInAnyOrder(List.of("v=STSv1; ", "id=20260101;"), List.of("something else"));
    }

    @Test
    void answersOverTcpOnTheSamePortAsUdp() throws IOException {
        dns.a("mx1.example.com", "192.0.2.1", 60);

        Message response = ask("mx1.example.com", Type.A, true);

        assertThat(((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress())
                .isEqualTo("192.0.2.1");
    }

    @Test
    void matchesNamesWhateverTheirCase() throws IOException {
        dns.a("MX1.Example.COM", "192.0.2.1", 60);

        assertThat(ask("mx1.example.com", Type.A, false).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void answersNullMxAsPreferenceZeroToTheRoot() throws IOException {
        dns.nullMx("nomail.example", 300);

        MXRecord mx = (MXRecord) ask("nomail.example", Type.MX, false).getSection(Section.ANSWER).get(0);

        assertThat(mx.getPriority()).isZero();
        assertThat(mx.getTarget()).isEqualTo(Name.root);
    }

    @Test
    void answersNxdomainWithAnSoaForUnknownNames() throws IOException {
        dns.negativeTtl(42);

        Message response = ask("unknown.example", Type.MX, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        SOARecord soa = (SOARecord) response.getSection(Section.AUTHORITY).get(0);
        assertThat(soa.getMinimum()).isEqualTo(42);
        assertThat(soa.getTTL()).isEqualTo(42);
    }

    @Test
    void answersNxdomainForANameMarkedSoEvenWithRecords() throws IOException {
        dns.a("gone.example", "192.0.2.1", 60).nxDomain("gone.example");

        assertThat(ask("gone.example", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void answersNodataWithAnSoaForATypeTheNameHasNoRecordsOf() throws IOException {
        dns.a("example.com", "192.0.2.1", 60);

        Message response = ask("example.com", Type.MX, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void answersNodataForEveryTypeOfANameThatExistsWithoutRecords() throws IOException {
        dns.noData("empty.example");

        Message response = ask("empty.example", Type.AAAA, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void answersServfailForANameMarkedSo() throws IOException {
        dns.servFail("broken.example");

        assertThat(ask("broken.example", Type.MX, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void answersServfailForOnlyTheTypeMarkedSo() throws IOException {
        dns.a("half.example", "192.0.2.1", 60).servFail("half.example", Type.AAAA);

        assertThat(ask("half.example", Type.AAAA, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask("half.example", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void staysSilentForANameMarkedNoAnswerSoTheClientTimesOut() {
        dns.noAnswer("silent.example");

        assertThatThrownBy(() -> ask("silent.example", Type.MX, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Timed out");
    }

    @Test
    void staysSilentOverTcpTooWithoutHangingTheServer() throws IOException {
        dns.noAnswer("silent.example", Type.MX).a("silent.example", "192.0.2.1", 60);

        assertThatThrownBy(() -> ask("silent.example", Type.MX, true)).isInstanceOf(IOException.class);
        assertThat(ask("silent.example", Type.A, true).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void followsACnameToItsTargetsRecords() throws IOException {
        dns.cname("alias.example", "real.example", 60).mx("real.example", 5, "mx.real.example", 60);

        List<Record> answer = ask("alias.example", Type.MX, false).getSection(Section.ANSWER);

        assertThat(answer).extracting(Record::getType).containsExactly(Type.CNAME, Type.MX);
    }

    @Test
    void truncatesALargeUdpAnswerSoTheClientRetriesOverTcp() throws IOException {
        for (int i = 0; i < 40; i++) {
            dns.mx("big.example", i, "a-rather-long-mail-exchanger-name-" + i + ".big.example", 60);
        }
        SimpleResolver plainUdp = resolver(false);
        plainUdp.setEDNS(-1);  // no EDNS: the 512-byte limit applies

        Message viaUdp = query(plainUdp, "big.example", Type.MX, true);

        assertThat(viaUdp.getSection(Section.ANSWER)).hasSize(40);
        assertThat(dns.queryCount("big.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void answersTruncatedWhenTheClientIgnoresTruncation() throws IOException {
        for (int i = 0; i < 40; i++) {
            dns.mx("big.example", i, "a-rather-long-mail-exchanger-name-" + i + ".big.example", 60);
        }
        SimpleResolver plainUdp = resolver(false);
        plainUdp.setEDNS(-1);

        Message truncated = query(plainUdp, "big.example", Type.MX, false);

        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    }

    @Test
    void countsQueriesPerNameAndType() throws IOException {
        dns.mx("example.com", 10, "mx1.example.com", 60);

        ask("example.com", Type.MX, false);
        ask("example.com", Type.MX, true);
        ask("example.com", Type.A, false);

        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(2);
        assertThat(dns.queryCount("EXAMPLE.com.", Type.A)).isEqualTo(1);
        assertThat(dns.queryCount()).isEqualTo(3);
    }

    @Test
    void forgetsANameThatIsRemoved() throws IOException {
        dns.a("moved.example", "192.0.2.1", 60).remove("moved.example");

        assertThat(ask("moved.example", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void releasesItsUdpAndTcpPortOnClose() throws IOException {
        int port = dns.port();
        dns.close();

        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(tcp.getLocalPort()).isEqualTo(udp.getLocalPort()).isEqualTo(port);
        }
    }

    private Message ask(String name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver = resolver(tcp);
        return query(resolver, name, type, true);
    }

    private SimpleResolver resolver(boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofMillis(300));
        return resolver;
    }

    private static Message query(SimpleResolver resolver, String name, int type, boolean followTruncation)
            throws IOException {
        resolver.setIgnoreTruncation(!followTruncation);
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    }
}
