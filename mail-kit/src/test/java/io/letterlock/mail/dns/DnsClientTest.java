package io.letterlock.mail.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** How a DNS response becomes a {@link DnsAnswer}: the parts the test server never sends. */
class DnsClientTest {

    private static final Name HOST = Name.fromConstantString("mx.example.com.");

    @Test
    void treatsANegativeAnswerWithoutSoaAsNotCacheable() {
        Message response = response(Rcode.NXDOMAIN);

        assertThat(DnsClient.classify(HOST, Type.A, response)).isEqualTo(new DnsAnswer.NoSuchName(0));
    }

    @Test
    void takesTheSmallerOfSoaTtlAndSoaMinimumAsNegativeTtl() {
        Message response = response(Rcode.NOERROR);
        response.addRecord(soa(600, 120), Section.AUTHORITY);

        assertThat(DnsClient.classify(HOST, Type.A, response)).isEqualTo(new DnsAnswer.NoData(120));
    }

    @Test
    void takesTheSmallestTtlAlongACnameChain() throws Exception {
        Name target = Name.fromConstantString("real.example.net.");
        Message response = response(Rcode.NOERROR);
        response.addRecord(new CNAMERecord(HOST, DClass.IN, 30, target), Section.ANSWER);
        response.addRecord(new ARecord(target, DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);

        assertThat(DnsClient.classify(HOST, Type.A, response))
                .isInstanceOfSatisfying(DnsAnswer.Found.class, found -> assertThat(found.ttlSeconds()).isEqualTo(30));
    }

    @Test
    void ignoresRecordsOfOtherNamesThanTheOneAskedAbout() throws Exception {
        Message response = response(Rcode.NOERROR);
        response.addRecord(new ARecord(Name.fromConstantString("elsewhere.example."), DClass.IN, 300,
                InetAddress.getByName("192.0.2.66")), Section.ANSWER);

        assertThat(DnsClient.classify(HOST, Type.A, response)).isInstanceOf(DnsAnswer.NoData.class);
    }

    @Test
    void treatsRefusedAsAFailure() {
        assertThat(DnsClient.classify(HOST, Type.A, response(Rcode.REFUSED))).isInstanceOf(DnsAnswer.Failed.class);
    }

    private static Message response(int rcode) {
        Message response = Message.newQuery(Record.newRecord(HOST, Type.A, DClass.IN));
        response.getHeader().setRcode(rcode);
        return response;
    }

    private static SOARecord soa(long ttl, long minimum) {
        Name zone = Name.fromConstantString("example.com.");
        return new SOARecord(zone, DClass.IN, ttl, Name.fromConstantString("ns.example.com."),
                Name.fromConstantString("hostmaster.example.com."), 1, 3600, 600, 86400, minimum);
    }
}
