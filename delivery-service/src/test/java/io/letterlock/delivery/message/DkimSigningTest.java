package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.SendJob;
import io.letterlock.mail.dkim.DkimKey;
import io.letterlock.testkit.dkim.DkimCheck;
import io.letterlock.testkit.dkim.TestDkimKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.letterlock.delivery.message.TestJob.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which composed messages get a DKIM signature, and that a receiver (Apache jDKIM) verifies it. */
class DkimSigningTest {

    private static final TestDkimKey SHOP = TestDkimKey.generate("shop.example", "s2026");
    private static final TestDkimKey REPORTS = TestDkimKey.generate("reports.shop.example", "tlsrpt");

    @TempDir
    Path dir;

    private DkimSigning signing(TestDkimKey... keys) {
        return new DkimSigning(DkimSigning.parse(Arrays.stream(keys)
                .map(key -> key.configEntry(dir.resolve(key.records().keySet().iterator().next() + ".pem"))).toList()));
    }

    @Test
    void aMessageFromASigningDomainIsSignedOverTheBytesTheUnsignedComposerWrites() {
        SendJob order = job().build();
        byte[] unsigned = new MessageComposer("mta1.letterlock.example").compose(order).bytes();

        byte[] signed = new MessageComposer("mta1.letterlock.example", signing(SHOP)).compose(order).bytes();

        DkimCheck.Verdict verdict = DkimCheck.verify(signed, SHOP.records());
        assertThat(verdict.failure()).isEmpty();
        assertThat(verdict.signingDomains()).containsExactly("shop.example");
        assertThat(new String(signed, 0, 16)).isEqualTo("DKIM-Signature: ");
        assertThat(Arrays.copyOfRange(signed, signed.length - unsigned.length, signed.length)).isEqualTo(unsigned);
    }

    @Test
    void aTlsReportWithItsAttachmentIsSignedByTheClosestDomainsKey() {
        SendJob report = job().from(EmailAddress.of("tlsrpt@reports.shop.example"))
                .attachments(MailAttachment.of(new byte[]{31, -117, 8, 0}, "application/tlsrpt+gzip", "r.json.gz"))
                .reportType(SendJob.TLSRPT_REPORT_TYPE).build();

        byte[] signed = new MessageComposer("mta1.letterlock.example", signing(SHOP, REPORTS)).compose(report).bytes();

        assertThat(DkimCheck.verify(signed, REPORTS.records()).signingDomains()).containsExactly("reports.shop.example");
        assertThat(DkimCheck.verify(signed, SHOP.records()).passed()).as("not signed with the parent's key").isFalse();
    }

    @Test
    void aSubdomainWithoutAKeyOfItsOwnIsSignedByItsParent() {
        DkimSigning signing = signing(SHOP, REPORTS);

        assertThat(signing.keyFor("News.Shop.Example")).map(DkimKey::domain).contains("shop.example");
        assertThat(signing.keyFor("x.reports.shop.example")).map(DkimKey::domain).contains("reports.shop.example");
        assertThat(signing.keyFor("example")).isEmpty();
        assertThat(signing.keyFor("othershop.example")).isEmpty();
    }

    @Test
    void aMessageFromAnotherDomainIsLeftAsItWas() {
        SendJob other = job().from(EmailAddress.of("someone@elsewhere.example")).build();

        assertThat(new MessageComposer("mta1.letterlock.example", signing(SHOP)).compose(other).bytes())
                .isEqualTo(new MessageComposer("mta1.letterlock.example").compose(other).bytes());
    }

    @Test
    void theSameJobSignsToTheSameBytesOnEveryAttempt() {
        MessageComposer composer = new MessageComposer("mta1.letterlock.example", signing(SHOP));

        assertThat(composer.compose(job().build()).bytes()).isEqualTo(composer.compose(job().build()).bytes());
    }

    @Test
    void aMalformedOrRepeatedEntryStopsTheServiceWithItsReason() throws Exception {
        assertThatThrownBy(() -> DkimSigning.parse(List.of("shop.example:/etc/key.pem")))
                .hasMessage("letterlock.dkim.keys: expected domain:selector:/path/to/key.pem, got shop.example:/etc/key.pem");
        Path missing = dir.resolve("none.pem");
        assertThatThrownBy(() -> DkimSigning.parse(List.of("shop.example:s:" + missing)))
                .hasMessageContaining(missing.toString());
        String entry = SHOP.configEntry(dir.resolve("shop.pem"));
        assertThatThrownBy(() -> new DkimSigning(DkimSigning.parse(List.of(entry, entry))))
                .hasMessageContaining("names shop.example twice");
        assertThat(Files.exists(dir.resolve("shop.pem"))).isTrue();
    }
}
