package io.letterlock.mail.mtasts;

import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8461 §3.1 against a real DNS server: the {@code _mta-sts} TXT record through the shared DnsClient. */
@ExtendWith(FreshDnsServer.class)
class MtaStsRecordLookupTest {

    private static final String RECORD = "_mta-sts.example.com";
    private static final MailDomain DOMAIN = MailDomain.parse("example.com").orElseThrow();

    private TestDnsServer dns;
    private final SettableClock clock = new SettableClock();

    private MtaStsRecordLookup lookup() {
        return new MtaStsRecordLookup(DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1)),
                clock, Duration.ofMinutes(5), Duration.ofSeconds(5), 1_000);
    }

    private static MtaStsRecord recordOf(MtaStsRecordLookup lookup) throws Exception {
        return lookup.lookup(DOMAIN).get(10, TimeUnit.SECONDS);
    }

    @Test
    void findsThePolicyIdInTheRecord() throws Exception {
        dns.txt(RECORD, 300, "v=STSv1; id=20260101T000000;");

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Present("20260101T000000"));
    }

    @Test
    void joinsTheStringsOfARecordWithoutAddingSpaces() throws Exception {
        dns.txt(RECORD, 300, "v=STSv1; id=2026", "0101;");

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Present("20260101"));
    }

    @Test
    void ignoresOtherTxtRecordsAtTheName() throws Exception {
        dns.txt(RECORD, 300, "v=spf1 -all").txt(RECORD, 300, "v=STSv1; id=abc");

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Present("abc"));
    }

    @Test
    void followsACname() throws Exception {
        dns.cname(RECORD, "_mta-sts.provider.example", 300).txt("_mta-sts.provider.example", 300, "v=STSv1; id=abc");

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Present("abc"));
    }

    @Test
    void hasNoPolicyWhenTheNameDoesNotExist() throws Exception {
        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Absent(RECORD + " does not exist"));
    }

    @Test
    void hasNoPolicyWhenTheNameHasNoTxtRecord() throws Exception {
        dns.a(RECORD, "192.0.2.1", 300);

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Absent(RECORD + ": no TXT record"));
    }

    @Test
    void hasNoPolicyWhenTwoRecordsAnnounceOne() throws Exception {
        dns.txt(RECORD, 300, "v=STSv1; id=one").txt(RECORD, 300, "v=STSv1; id=two");

        assertThat(recordOf(lookup())).isEqualTo(
                new MtaStsRecord.Absent(RECORD + ": 2 TXT records start with v=STSv1; exactly one is allowed"));
    }

    @Test
    void hasNoPolicyWhenTheRecordIsMalformed() throws Exception {
        dns.txt(RECORD, 300, "v=STSv1; id=not-alphanumeric");

        assertThat(recordOf(lookup())).isEqualTo(new MtaStsRecord.Absent(
                RECORD + ": malformed v=STSv1 record: id 'not-alphanumeric' is not 1 to 32 letters and digits"));
    }

    @Test
    void reportsATemporaryFailureWhenDnsCannotAnswer() throws Exception {
        dns.servFail(RECORD);

        assertThat(recordOf(lookup())).isInstanceOfSatisfying(MtaStsRecord.TemporaryFailure.class,
                failure -> assertThat(failure.reason()).contains("SERVFAIL"));
    }

    @Test
    void reusesAnAnswerForItsTtl() throws Exception {
        dns.txt(RECORD, 60, "v=STSv1; id=first");
        MtaStsRecordLookup lookup = lookup();
        recordOf(lookup);
        dns.remove(RECORD).txt(RECORD, 60, "v=STSv1; id=second");

        clock.advance(Duration.ofSeconds(59));
        assertThat(recordOf(lookup)).isEqualTo(new MtaStsRecord.Present("first"));

        clock.advance(Duration.ofSeconds(1));
        assertThat(recordOf(lookup)).isEqualTo(new MtaStsRecord.Present("second"));
        assertThat(dns.queryCount(RECORD, Type.TXT)).isEqualTo(2);
    }

    @Test
    void reusesAnAnswerNoLongerThanTheCapWhateverItsTtl() throws Exception {
        dns.txt(RECORD, 86_400, "v=STSv1; id=first");
        MtaStsRecordLookup lookup = lookup();
        recordOf(lookup);
        dns.remove(RECORD).txt(RECORD, 86_400, "v=STSv1; id=second");

        clock.advance(Duration.ofMinutes(5));

        assertThat(recordOf(lookup)).isEqualTo(new MtaStsRecord.Present("second"));
    }

    @Test
    void asksDnsAfreshWhenToldToWhateverIsKept() throws Exception {
        dns.txt(RECORD, 300, "v=STSv1; id=first");
        MtaStsRecordLookup lookup = lookup();
        recordOf(lookup);
        dns.remove(RECORD).txt(RECORD, 300, "v=STSv1; id=second");

        assertThat(lookup.lookupAfresh(DOMAIN).get(10, TimeUnit.SECONDS)).isEqualTo(new MtaStsRecord.Present("second"));
        assertThat(recordOf(lookup)).isEqualTo(new MtaStsRecord.Present("second"));
    }
}
