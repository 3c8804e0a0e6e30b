package io.letterlock.mail.mtasts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PolicyRefresh}: when a kept policy is used and when one is fetched (RFC 8461 §3.1, §3.3,
 * §5.1, §10.2), as a table. Policies here have a max_age of one day; the refresh interval is a day
 * too, so a policy is due for refresh at 12 h (half its max_age) and expired at 24 h.
 */
class MtaStsRefreshTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final PolicyRefresh REFRESH = new PolicyRefresh(Duration.ofDays(1), Duration.ofMinutes(5));
    private static final PolicyFetch.FetchFailed FAILURE =
            new PolicyFetch.FetchFailed(PolicyFetch.FetchFailure.FETCH_ERROR, "HTTP 503");

    private static MtaStsPolicy policy(PolicyMode mode, Duration maxAge) {
        return new MtaStsPolicy(mode, List.of(MxPattern.parse("mx.example.com").orElseThrow()), maxAge, "…");
    }

    /** {@code -}, or {@code id1@13h}: kept under id1, fetched 13 hours before NOW. */
    private static Optional<CachedPolicy> kept(String spec) {
        if (spec.equals("-")) {
            return Optional.empty();
        }
        String[] parts = spec.split("@");
        return Optional.of(CachedPolicy.fetched("example.com", parts[0], policy(PolicyMode.ENFORCE, Duration.ofDays(1)),
                NOW.minus(age(parts[1]))));
    }

    private static MtaStsRecord record(String spec) {
        return switch (spec) {
            case "absent" -> new MtaStsRecord.Absent("_mta-sts.example.com does not exist");
            case "dnsfail" -> new MtaStsRecord.TemporaryFailure("SERVFAIL");
            default -> new MtaStsRecord.Present(spec);
        };
    }

    /** {@code -}, or {@code id1@1m}: a fetch of id1 failed a minute before NOW. */
    private static Optional<FailedFetch> lastFailure(String spec) {
        if (spec.equals("-")) {
            return Optional.empty();
        }
        String[] parts = spec.split("@");
        return Optional.of(new FailedFetch(parts[0], NOW.minus(age(parts[1])), FAILURE));
    }

    private static Duration age(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return text.endsWith("h") ? Duration.ofHours(amount) : Duration.ofMinutes(amount);
    }

    /** What a step comes to, in the table's words. */
    private static String describe(RefreshStep step) {
        if (step instanceof RefreshStep.Fetch fetch) {
            return "fetch " + fetch.id() + " " + fetch.why() + (fetch.fallback().isPresent() ? " keeping " + fetch.fallback().get().id() : "");
        }
        PolicyLookup lookup = ((RefreshStep.Done) step).lookup();
        if (lookup instanceof PolicyLookup.Applies applies) {
            return "apply " + applies.policy().id() + (applies.refreshFailure().isPresent() ? " +failure" : "");
        }
        if (lookup instanceof PolicyLookup.NoPolicy none) {
            return "none" + (none.fetchFailure().isPresent() ? " +failure" : "");
        }
        return "unknown";
    }

    @ParameterizedTest(name = "kept {0}, record {1}, last failure {2} -> {3}")
    @CsvSource({
            // nothing kept
            "-,       id1,     -,       fetch id1 NOT_KEPT",
            "-,       absent,  -,       none",
            "-,       dnsfail, -,       unknown",
            "-,       id1,     id1@1m,  none +failure",
            "-,       id1,     id1@6m,  fetch id1 NOT_KEPT",
            "-,       id2,     id1@1m,  fetch id2 NOT_KEPT",
            // kept and fresh: used as it is while the id stays
            "id1@2h,  id1,     -,       apply id1",
            "id1@2h,  id2,     -,       fetch id2 ID_CHANGED keeping id1",
            "id1@2h,  id2,     id2@1m,  apply id1 +failure",
            "id1@2h,  id2,     id2@6m,  fetch id2 ID_CHANGED keeping id1",
            "id1@2h,  id2,     id1@1m,  fetch id2 ID_CHANGED keeping id1",
            "id1@2h,  absent,  -,       apply id1",
            "id1@2h,  dnsfail, -,       apply id1",
            // kept, due for the proactive refresh
            "id1@13h, id1,     -,       fetch id1 REFRESH_DUE keeping id1",
            "id1@13h, id1,     id1@1m,  apply id1 +failure",
            "id1@13h, dnsfail, -,       fetch id1 REFRESH_DUE keeping id1",
            "id1@13h, absent,  -,       apply id1",
            // kept but past max_age: never applied again
            "id1@25h, id1,     -,       fetch id1 EXPIRED",
            "id1@25h, id2,     -,       fetch id2 EXPIRED",
            "id1@25h, id1,     id1@1m,  none +failure",
            "id1@25h, absent,  -,       none",
            "id1@25h, dnsfail, -,       unknown"})
    void decidesFromWhatIsKeptTheRecordAndTheLastFailure(String kept, String record, String lastFailure,
                                                         String expected) {
        RefreshStep step = REFRESH.next(kept(kept), record(record), lastFailure(lastFailure), NOW);

        assertThat(describe(step)).isEqualTo(expected);
    }

    @Test
    void aPolicyIsNoLongerAppliedAtTheMomentItsMaxAgeEnds() {
        CachedPolicy kept = CachedPolicy.fetched("example.com", "id1", policy(PolicyMode.ENFORCE, Duration.ofDays(1)),
                NOW.minus(Duration.ofDays(1)));

        assertThat(kept.isExpiredAt(NOW)).isTrue();
        assertThat(kept.isExpiredAt(NOW.minusMillis(1))).isFalse();
    }

    @ParameterizedTest(name = "max_age {0}: refresh due after {1}")
    @CsvSource({"PT1H, PT30M", "P1D, PT12H", "P30D, P1D", "P365D, P1D"})
    void refreshesAfterADayOrHalfTheMaxAgeIfThatIsSooner(Duration maxAge, Duration dueAfter) {
        CachedPolicy kept = CachedPolicy.fetched("example.com", "id1", policy(PolicyMode.ENFORCE, maxAge), NOW);

        assertThat(REFRESH.refreshDue(kept, NOW.plus(dueAfter).minusSeconds(1))).isFalse();
        assertThat(REFRESH.refreshDue(kept, NOW.plus(dueAfter))).isTrue();
    }

    @Test
    void keepsAFetchedPolicyForItsMaxAge() {
        RefreshStep.Fetch step = new RefreshStep.Fetch("id2", RefreshStep.Why.ID_CHANGED, kept("id1@2h"));
        MtaStsPolicy fetched = policy(PolicyMode.TESTING, Duration.ofDays(7));

        RefreshStep.AfterFetch after = REFRESH.afterFetch("example.com", step, new PolicyFetch.Fetched(fetched), NOW);

        CachedPolicy expected = new CachedPolicy("example.com", "id2", fetched, NOW, NOW.plus(Duration.ofDays(7)));
        assertThat(after.keep()).contains(expected);
        assertThat(after.lookup()).isEqualTo(new PolicyLookup.Applies(expected, Optional.empty()));
        assertThat(after.failed()).isEmpty();
    }

    @Test
    void appliesAPolicyWithMaxAgeZeroOnceAndKeepsNothing() {
        RefreshStep.Fetch step = new RefreshStep.Fetch("id1", RefreshStep.Why.NOT_KEPT, Optional.empty());

        RefreshStep.AfterFetch after = REFRESH.afterFetch("example.com", step,
                new PolicyFetch.Fetched(policy(PolicyMode.ENFORCE, Duration.ZERO)), NOW);

        assertThat(after.lookup()).isInstanceOf(PolicyLookup.Applies.class);
        assertThat(after.keep()).isEmpty();
    }

    @Test
    void keepsApplyingTheUnexpiredPolicyWhenARefreshFails() {
        Optional<CachedPolicy> kept = kept("id1@13h");
        RefreshStep.Fetch step = new RefreshStep.Fetch("id1", RefreshStep.Why.REFRESH_DUE, kept);

        RefreshStep.AfterFetch after = REFRESH.afterFetch("example.com", step, FAILURE, NOW);

        assertThat(after.lookup()).isEqualTo(new PolicyLookup.Applies(kept.get(), Optional.of(FAILURE)));
        assertThat(after.keep()).isEmpty();
        assertThat(after.failed()).contains(new FailedFetch("id1", NOW, FAILURE));
    }

    @Test
    void deliversAsWithoutMtaStsWhenNothingCouldBeFetchedAndNothingIsKept() {
        RefreshStep.Fetch step = new RefreshStep.Fetch("id1", RefreshStep.Why.NOT_KEPT, Optional.empty());

        RefreshStep.AfterFetch after = REFRESH.afterFetch("example.com", step, FAILURE, NOW);

        assertThat(after.lookup()).isInstanceOfSatisfying(PolicyLookup.NoPolicy.class, none -> {
            assertThat(none.fetchFailure()).contains(FAILURE);
            assertThat(none.reason()).contains("policy id id1 could not be fetched", "HTTP 503");
        });
        assertThat(after.failed()).contains(new FailedFetch("id1", NOW, FAILURE));
    }
}
