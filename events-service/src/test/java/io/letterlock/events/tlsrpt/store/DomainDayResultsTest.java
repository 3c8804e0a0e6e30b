package io.letterlock.events.tlsrpt.store;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.letterlock.events.tlsrpt.TlsSessions.session;
import static io.letterlock.events.tlsrpt.TlsSessions.stsFailure;
import static io.letterlock.events.tlsrpt.TlsSessions.stsSuccess;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsa;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsaSuccess;
import static org.assertj.core.api.Assertions.assertThat;

class DomainDayResultsTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");
    private static final String DOMAIN = "company-y.example";

    @Test
    void countsSuccessesAndFailuresPerPolicy() {
        DomainDayResults day = add(DomainDayResults.empty(),
                stsSuccess(DOMAIN, AT), stsSuccess(DOMAIN, AT),
                stsFailure(DOMAIN, AT, TlsRptResultType.CERTIFICATE_EXPIRED, "mx1.mail." + DOMAIN, null),
                tlsaSuccess(DOMAIN, AT), tlsa(DOMAIN, AT, TlsRptResultType.TLSA_INVALID, "no-usable-tlsa"));

        assertThat(day.policies()).extracting(results -> results.policy().policyType())
                .containsExactly(TlsRptPolicyType.STS, TlsRptPolicyType.TLSA);
        assertThat(day.policies()).extracting(PolicyResults::successful, PolicyResults::failed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L), org.assertj.core.groups.Tuple.tuple(1L, 1L));
        assertThat(day.sessions()).isEqualTo(5);
    }

    @Test
    void countsFailedSessionsWithTheSameFactsInOneRow() {
        TlsSessionResult expired = stsFailure(DOMAIN, AT, TlsRptResultType.CERTIFICATE_EXPIRED, "mx1.mail." + DOMAIN, null);
        DomainDayResults day = add(DomainDayResults.empty(), expired, expired, expired,
                stsFailure(DOMAIN, AT, TlsRptResultType.CERTIFICATE_EXPIRED, "mx2.mail." + DOMAIN, null),
                stsFailure(DOMAIN, AT, TlsRptResultType.STARTTLS_NOT_SUPPORTED, "mx1.mail." + DOMAIN, null));

        assertThat(day.policies().get(0).failureDetails())
                .extracting(FailureDetail::resultType, FailureDetail::receivingMxHostname, FailureDetail::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TlsRptResultType.CERTIFICATE_EXPIRED, "mx1.mail." + DOMAIN, 3L),
                        org.assertj.core.groups.Tuple.tuple(TlsRptResultType.CERTIFICATE_EXPIRED, "mx2.mail." + DOMAIN, 1L),
                        org.assertj.core.groups.Tuple.tuple(TlsRptResultType.STARTTLS_NOT_SUPPORTED, "mx1.mail." + DOMAIN, 1L));
        assertThat(day.policies().get(0).failed()).isEqualTo(5);
    }

    @Test
    void failedSessionsBeyondTheDetailRowsCountInTheSummaryOnly() {
        DomainDayResults day = DomainDayResults.empty();
        for (int i = 0; i < DomainDayResults.MAX_DETAIL_ROWS + 25; i++) {
            day = day.plus(stsFailure(DOMAIN, AT, TlsRptResultType.VALIDATION_FAILURE, "mx" + i + ".mail." + DOMAIN, null));
        }
        // A failure with facts already listed still finds its row.
        day = day.plus(stsFailure(DOMAIN, AT, TlsRptResultType.VALIDATION_FAILURE, "mx0.mail." + DOMAIN, null));

        PolicyResults sts = day.policies().get(0);
        assertThat(sts.failureDetails()).hasSize(DomainDayResults.MAX_DETAIL_ROWS);
        assertThat(sts.failureDetails().get(0).count()).isEqualTo(2);
        assertThat(sts.failed()).isEqualTo(DomainDayResults.MAX_DETAIL_ROWS + 26);
        assertThat(sts.unlistedFailedSessions()).isEqualTo(25);
    }

    @Test
    void sessionsUnderPoliciesBeyondTheLimitAreCountedApart() {
        DomainDayResults day = DomainDayResults.empty();
        for (int i = 0; i < DomainDayResults.MAX_POLICIES + 3; i++) {
            day = day.plus(new TlsSessionResult("s" + i, AT, DOMAIN, TlsRptPolicyType.TLSA, List.of("3 1 1 " + i),
                    List.of(), TlsRptResultType.SUCCESS, null, null, null, null, null, null));
        }
        assertThat(day.policies()).hasSize(DomainDayResults.MAX_POLICIES);
        assertThat(day.unlistedSessions()).isEqualTo(3);
        assertThat(day.sessions()).isEqualTo(DomainDayResults.MAX_POLICIES + 3);
    }

    @Test
    void aHostileDomainsDayStaysWellUnderAMebibyte() {
        // Every policy and every detail row full, every text at its bound and beyond.
        String longText = "x".repeat(5000);
        List<String> longLines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            longLines.add(i + longText);
        }
        DomainDayResults day = DomainDayResults.empty();
        for (int p = 0; p < DomainDayResults.MAX_POLICIES; p++) {
            for (int i = 0; i < DomainDayResults.MAX_DETAIL_ROWS; i++) {
                day = day.plus(new TlsSessionResult("s" + p + "-" + i, AT, DOMAIN, TlsRptPolicyType.STS,
                        policyLines(p, longLines), longLines, TlsRptResultType.CERTIFICATE_NOT_TRUSTED,
                        i + longText, i + longText, i + longText, i + longText, i + longText, i + longText));
            }
        }
        assertThat(day.policies()).hasSize(DomainDayResults.MAX_POLICIES);
        assertThat(Json.toBytes(day).length).isLessThan(768 * 1024);
        assertThat(Json.fromBytes(Json.toBytes(day), DomainDayResults.class)).isEqualTo(day);
    }

    @Test
    void aSessionWithoutAHostIsAFailureDetailWithoutAddresses() {
        DomainDayResults day = DomainDayResults.empty().plus(
                session(DOMAIN, AT, TlsRptPolicyType.STS, TlsRptResultType.STS_POLICY_FETCH_ERROR, null, "http-404", null));
        assertThat(day.policies().get(0).failureDetails().get(0).receivingIp()).isNull();
        assertThat(day.policies().get(0).failed()).isEqualTo(1);
    }

    private static List<String> policyLines(int policy, List<String> lines) {
        List<String> distinct = new ArrayList<>(lines);
        distinct.set(0, "policy " + policy);
        return distinct;
    }

    private static DomainDayResults add(DomainDayResults day, TlsSessionResult... sessions) {
        for (TlsSessionResult session : sessions) {
            day = day.plus(session);
        }
        return day;
    }
}
