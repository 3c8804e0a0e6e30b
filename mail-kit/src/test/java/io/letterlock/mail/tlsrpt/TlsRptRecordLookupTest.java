package io.letterlock.mail.tlsrpt;

import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8460 §3 against a real DNS server: the {@code _smtp._tls} TXT record through the shared DnsClient. */
@ExtendWith(FreshDnsServer.class)
class TlsRptRecordLookupTest {

    private static final String RECORD = "_smtp._tls.example.com";
    private static final MailDomain DOMAIN = MailDomain.parse("example.com").orElseThrow();

    private TestDnsServer dns;

    private TlsRptRecordLookup.Answer answer() throws Exception {
        return new TlsRptRecordLookup(DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1)))
                .lookup(DOMAIN).get(10, TimeUnit.SECONDS);
    }

    @Test
    void findsTheTargetsOfTheRecord() throws Exception {
        dns.txt(RECORD, 300, "v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/v1");

        assertThat(answer()).isEqualTo(new TlsRptRecordLookup.Answer.Found(new TlsRptRecord(List.of(
                URI.create("mailto:tls@example.com"), URI.create("https://reports.example.com/v1")))));
    }

    @Test
    void joinsTheStringsOfALongRecord() throws Exception {
        dns.txt(RECORD, 300, "v=TLSRPTv1; rua=mailto:tls@exa", "mple.com");

        assertThat(answer()).isEqualTo(new TlsRptRecordLookup.Answer.Found(
                new TlsRptRecord(List.of(URI.create("mailto:tls@example.com")))));
    }

    @Test
    void aDomainWithoutTheRecordWantsNoReport() throws Exception {
        dns.txt(RECORD, 300, "v=spf1 -all");

        assertThat(answer()).isInstanceOf(TlsRptRecordLookup.Answer.None.class);
    }

    @Test
    void twoRecordsMeanNoReport() throws Exception {
        dns.txt(RECORD, 300, "v=TLSRPTv1; rua=mailto:a@example.com").txt(RECORD, 300, "v=TLSRPTv1; rua=mailto:b@example.com");

        assertThat(answer()).isInstanceOf(TlsRptRecordLookup.Answer.None.class);
    }

    @Test
    void aNameThatDoesNotExistMeansNoReport() throws Exception {
        dns.nxDomain(RECORD);

        assertThat(answer()).isInstanceOf(TlsRptRecordLookup.Answer.None.class);
    }

    @Test
    void aFailingServerIsAskedAgainLaterNotTakenAsNo() throws Exception {
        dns.servFail(RECORD);

        assertThat(answer()).isInstanceOf(TlsRptRecordLookup.Answer.TemporaryFailure.class);
    }
}
