package io.letterlock.mail.receiver;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which MX hosts count as found securely for a REQUIRETLS message (RFC 8689 §4.2.1). */
class MxDiscoveryTest {

    private static final String DOMAIN = "example.test";
    private static final Name OWNER = Name.fromConstantString(DOMAIN + ".");

    private static Record mx(String host) {
        return new MXRecord(OWNER, DClass.IN, 300, 10, Name.fromConstantString(host + "."));
    }

    private static MtaStsPolicy policy(String mode, String mx) {
        return ((ParsedPolicy.Valid) MtaStsPolicy.parse("version: STSv1\nmode: " + mode + "\nmx: " + mx
                + "\nmax_age: 86400\n")).policy();
    }

    @Test
    void aHostNamedByAValidatedMxRrsetWasFoundSecurely() {
        MxDiscovery found = MxDiscovery.of(DOMAIN, Optional.of(new DnssecAnswer.Secure(
                List.of(mx("MX1.example.test"), mx("mx2.example.test")), OWNER, true, 300)), Optional.empty());

        assertThat(found.foundSecurely("mx1.example.test")).isTrue();
        assertThat(found.foundSecurely("mx2.example.test.")).isTrue();
        assertThat(found.foundSecurely("mx.attacker.test")).as("not in the signed RRset").isFalse();
    }

    @Test
    void anUnsignedMxRrsetProvesNothing() {
        MxDiscovery found = MxDiscovery.of(DOMAIN, Optional.of(new DnssecAnswer.Insecure(
                List.of(mx("mx1.example.test")), OWNER, true, 300)), Optional.empty());

        assertThat(found.foundSecurely("mx1.example.test")).isFalse();
    }

    @Test
    void aDomainSecurelyWithoutMxRecordsIsItsOwnMailHost() {
        MxDiscovery found = MxDiscovery.of(DOMAIN, Optional.of(new DnssecAnswer.Secure(List.of(), OWNER, true, 300)),
                Optional.empty());

        assertThat(found.foundSecurely(DOMAIN)).isTrue();
    }

    @Test
    void anMtaStsPolicyInEnforceModeProvesTheHostsItLists() {
        MxDiscovery found = MxDiscovery.of(DOMAIN, Optional.empty(), Optional.of(policy("enforce", "*.example.test")));

        assertThat(found.foundSecurely("mx1.example.test")).isTrue();
        assertThat(found.foundSecurely("mx.attacker.test")).isFalse();
    }

    @Test
    void anMtaStsPolicyInTestingModeProvesNothing() {
        MxDiscovery found = MxDiscovery.of(DOMAIN, Optional.empty(), Optional.of(policy("testing", "*.example.test")));

        assertThat(found.foundSecurely("mx1.example.test")).isFalse();
        assertThat(found.mtaStsEnforce()).isEmpty();
    }

    @Test
    void nothingLookedUpProvesNothing() {
        assertThat(MxDiscovery.of(DOMAIN, Optional.empty(), Optional.empty()).foundSecurely("mx1.example.test")).isFalse();
        assertThat(MxDiscovery.UNPROVEN.foundSecurely("mx1.example.test")).isFalse();
    }
}
