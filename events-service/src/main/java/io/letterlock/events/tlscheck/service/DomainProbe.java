package io.letterlock.events.tlscheck.service;

import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.DaneVerifier;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.PolicyFetch;
import io.letterlock.mail.mtasts.PolicyLookup;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.NoDestination;
import io.letterlock.mail.dns.Route;
import io.letterlock.mail.smtp.PolicyOutcome;
import io.letterlock.mail.smtp.ProbeReport;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.RootCause;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Looks at one receiving domain as delivery would reach it: the shared {@link MxResolver}, then each
 * MX host through the shared {@link SmtpClient} (greeting, EHLO, STARTTLS, handshake, EHLO over TLS,
 * QUIT; no mail), and the verdicts of delivery's own policy decisions on what the hosts showed,
 * combined as a delivery attempt combines them: under the four settings, and for a message that
 * asks for REQUIRETLS ({@link RequireTlsAttempt}).
 */
final class DomainProbe {

    /** Asked for one at a time, each in a handshake of its own. */
    static final List<TlsVersion> VERSIONS_CHECKED = List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
    static final String VERSIONS_NOTE = "TLSv1.1 and older are not checked: delivery's TLS stacks no longer "
            + "negotiate them by default";

    private final MxResolver resolver;
    private final SmtpClient client;
    private final AddressGuard guard;
    private final Duration total;
    private final Clock clock;
    private final ReceiverPolicyLookup receivers;
    private final DaneVerifier dane;

    DomainProbe(MxResolver resolver, SmtpClient client, AddressGuard guard, Duration total, Clock clock) {
        this(resolver, client, guard, total, clock,
                new ReceiverPolicyLookup(Optional.empty(), Optional.empty(), Optional.empty(), io.letterlock.mail.receiver.ReceiverEvents.NONE));
    }

    /** @param receivers the receiving domain's DANE and MTA-STS, looked up as delivery looks them up */
    DomainProbe(MxResolver resolver, SmtpClient client, AddressGuard guard, Duration total, Clock clock,
                ReceiverPolicyLookup receivers) {
        this.resolver = resolver;
        this.client = client;
        this.guard = guard;
        this.total = total;
        this.clock = clock;
        this.receivers = receivers;
        this.dane = new DaneVerifier(clock);
    }

    /** Completes normally always: every failure is part of the answer. */
    CompletableFuture<TlsCheckAnswer> check(MailDomain domain) {
        String checkedAt = clock.instant().toString();
        return resolver.resolve(domain.text()).toCompletableFuture().thenCompose(route -> {
            if (!(route instanceof Route.Destinations found)) {
                NoDestination none = NoDestination.of(domain.text(), route);
                String why = none.reason();
                PolicyOutcome outcome = none.temporary() ? PolicyOutcome.deferred(why) : PolicyOutcome.bounced(why);
                return CompletableFuture.completedFuture(answer(domain, checkedAt, why, List.of(),
                        policy -> new AttemptVerdict(outcome, null), new AttemptVerdict(outcome, null), null));
            }
            // The resolver orders equal preferences at random for delivery; an answer reads better sorted.
            List<Destination> destinations = found.destinations().stream()
                    .sorted(Comparator.comparingInt(Destination::preference).thenComparing(Destination::mxHost))
                    .toList();
            List<CompletableFuture<HostResult>> hosts = destinations.stream()
                    .map(destination -> host(destination)
                            .completeOnTimeout(HostResult.unreachable(destination, null,
                                    "no answer within " + total.toSeconds() + " s"), total.toMillis(), TimeUnit.MILLISECONDS))
                    .toList();
            CompletableFuture<ReceiverPolicyLookup.Posture> posture = receivers.posture(domain.text(), destinations)
                    .completeOnTimeout(new ReceiverPolicyLookup.Posture(Optional.empty(), Map.of(), Map.of()),
                            total.toMillis(), TimeUnit.MILLISECONDS);
            return CompletableFuture.allOf(hosts.toArray(CompletableFuture[]::new)).thenCombine(posture, (done, rules) -> {
                List<HostResult> results = hosts.stream().map(CompletableFuture::join)
                        .map(result -> withReceiverRules(result, rules)).toList();
                String unreachable = "no MX host could be reached"
                        + results.stream().map(r -> r.answer().error()).filter(e -> e != null).findFirst()
                        .map(e -> ": " + e).orElse("");
                return answer(domain, checkedAt, null, results.stream().map(HostResult::answer).toList(),
                        policy -> AttemptVerdict.of(results.stream()
                                .flatMap(r -> r.report().map(report -> new AttemptVerdict.Host(r.answer().host(), report,
                                        rules.requirements().get(r.answer().host()), r.daneVerdict())).stream())
                                .toList(), policy, unreachable),
                        RequireTlsAttempt.of(results.stream().map(r -> new RequireTlsAttempt.Host(r.answer().host(),
                                r.staticRoute(), r.report(), r.answer().error(), rules.requirements().get(r.answer().host()),
                                r.daneVerdict())).toList(), rules.mx(), unreachable),
                        rules.mtaSts().map(DomainProbe::mtaSts).orElse(null));
            });
        });
    }

    private interface Decision {
        AttemptVerdict under(EffectiveTlsPolicy policy);
    }

    /** What the answer says of the domain's MTA-STS policy. */
    private static TlsCheckAnswer.MtaSts mtaSts(PolicyLookup lookup) {
        if (lookup instanceof PolicyLookup.Applies applies) {
            MtaStsPolicy policy = applies.policy().policy();
            return new TlsCheckAnswer.MtaSts(true, policy.mode().name().toLowerCase(Locale.ROOT),
                    policy.mx().stream().map(Object::toString).toList(), policy.maxAge().toSeconds(),
                    applies.policy().id(), applies.refreshFailure().map(PolicyFetch.FetchFailed::reason).orElse(null));
        }
        String why = lookup instanceof PolicyLookup.NoPolicy none
                ? none.fetchFailure().map(PolicyFetch.FetchFailed::reason).orElse(none.reason())
                : ((PolicyLookup.TemporaryFailure) lookup).reason();
        return new TlsCheckAnswer.MtaSts(false, null, List.of(), null, null, why);
    }

    /** A host's DANE state and MTA-STS listing beside what the probe saw; its chain judged by TLSA records. */
    private HostResult withReceiverRules(HostResult result, ReceiverPolicyLookup.Posture rules) {
        String host = result.answer().host();
        DaneState state = rules.dane().get(host);
        Optional<CertificateVerdict> daneVerdict = Optional.empty();
        TlsCheckAnswer.Dane daneAnswer = null;
        if (state != null) {
            if (state instanceof DaneState.Authenticate authenticate) {
                daneVerdict = result.report().filter(ProbeReport::encrypted)
                        .map(report -> dane.verify(report.chain(), authenticate).asCertificateVerdict());
            }
            daneAnswer = new TlsCheckAnswer.Dane(daneStatus(state), daneDetail(state),
                    state instanceof DaneState.Authenticate a ? a.records().stream().map(DomainProbe::tlsa).toList()
                            : List.of(),
                    daneVerdict.map(CertificateVerdict::isValid).orElse(null));
        }
        Boolean listed = rules.mtaSts().filter(lookup -> lookup instanceof PolicyLookup.Applies)
                .map(lookup -> ((PolicyLookup.Applies) lookup).policy().policy().permits(host)).orElse(null);
        TlsCheckAnswer.MxHost a = result.answer();
        return new HostResult(new TlsCheckAnswer.MxHost(a.host(), a.preference(), a.address(), a.port(), a.reachable(),
                a.error(), a.starttls(), a.starttlsError(), a.handshakeError(), a.tlsVersions(), a.tlsVersion(),
                a.tlsCipher(), a.certificate(), a.chain(), a.certValid(), a.certError(), daneAnswer, listed, a.requiretls()),
                result.report(), daneVerdict, result.staticRoute());
    }

    private static String daneStatus(DaneState state) {
        if (state instanceof DaneState.Authenticate) {
            return "authenticate";
        }
        if (state instanceof DaneState.EncryptOnly) {
            return "encrypt-only";
        }
        return state instanceof DaneState.Tempfail ? "tempfail" : "not-applicable";
    }

    private static String daneDetail(DaneState state) {
        if (state instanceof DaneState.Tempfail tempfail) {
            return tempfail.reason();
        }
        if (state instanceof DaneState.NotApplicable none) {
            return none.reason();
        }
        if (state instanceof DaneState.EncryptOnly encrypt) {
            return "TLSA records at " + encrypt.tlsaBaseDomain() + ", none usable: TLS required, certificate not checked";
        }
        return "usable TLSA records at " + ((DaneState.Authenticate) state).tlsaBaseDomain()
                + ": TLS required, the server authenticated by them";
    }

    private static String tlsa(TlsaAssociation record) {
        return record.usage() + " " + record.selector() + " " + record.matchingType() + " "
                + HexFormat.of().formatHex(record.data());
    }

    private static TlsCheckAnswer answer(MailDomain domain, String checkedAt, String error,
                                         List<TlsCheckAnswer.MxHost> mx, Decision decision,
                                         AttemptVerdict requiretls, TlsCheckAnswer.MtaSts mtaSts) {
        List<TlsCheckAnswer.Verdict> verdicts = new ArrayList<>();
        for (boolean requireTls : new boolean[]{false, true}) {
            for (boolean requireValidCert : new boolean[]{false, true}) {
                // The four combinations of the account settings, as delivery resolves them without a domain policy.
                EffectiveTlsPolicy policy = new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.DEFAULT,
                        true, EffectiveTlsPolicy.SOURCE_ACCOUNT);
                AttemptVerdict verdict = decision.under(policy);
                verdicts.add(new TlsCheckAnswer.Verdict(requireTls, requireValidCert, verdict.outcome().outcome(),
                        verdict.outcome().reason(), verdict.mx()));
            }
        }
        return new TlsCheckAnswer(domain.text(), checkedAt, false, error,
                VERSIONS_CHECKED.stream().map(TlsVersion::protocolName).toList(), VERSIONS_NOTE, mx, verdicts, mtaSts,
                // A REQUIRETLS message requires TLS and a valid certificate whatever the settings.
                new TlsCheckAnswer.Verdict(true, true, requiretls.outcome().outcome(), requiretls.outcome().reason(),
                        requiretls.mx()));
    }

    private CompletableFuture<HostResult> host(Destination destination) {
        List<InetAddress> allowed = new ArrayList<>();
        String refused = null;
        for (InetAddress address : destination.addresses()) {
            // Static routes are the operator's own configuration: their addresses are trusted.
            Optional<String> refusal = destination.staticRoute() ? Optional.empty() : guard.refusal(address);
            if (refusal.isEmpty()) {
                allowed.add(address);
            } else if (refused == null) {
                refused = refusal.get() + "; not checked (" + ReachConfig.ALLOW + ")";
            }
        }
        if (allowed.isEmpty()) {
            return CompletableFuture.completedFuture(HostResult.unreachable(destination,
                    destination.addresses().get(0), refused));
        }
        return tryAddresses(destination, allowed, 0, null);
    }

    /** RFC 5321 §5.1: the addresses of a host in order, until one answers. */
    private CompletableFuture<HostResult> tryAddresses(Destination destination, List<InetAddress> addresses, int index,
                                                       String lastError) {
        if (index >= addresses.size()) {
            return CompletableFuture.completedFuture(HostResult.unreachable(destination, addresses.get(0), lastError));
        }
        InetAddress address = addresses.get(index);
        InetSocketAddress target = new InetSocketAddress(address, destination.port());
        return client.probe(destination.mxHost(), target, Optional.empty())
                .thenCompose(report -> versions(destination, target, report)
                        .thenApply(versions -> HostResult.reached(destination, address, report, versions)))
                .handle((result, error) -> error == null
                        ? CompletableFuture.completedFuture(result)
                        : tryAddresses(destination, addresses, index + 1, RootCause.message(error)))
                .thenCompose(next -> next);
    }

    /** Which versions a handshake offering only that version succeeds with, one connection each. */
    private CompletableFuture<List<String>> versions(Destination destination, InetSocketAddress target,
                                                     ProbeReport first) {
        if (!first.encrypted()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
        for (TlsVersion version : VERSIONS_CHECKED) {
            if (first.protocol().get().equals(version.protocolName())) {
                checks.add(CompletableFuture.completedFuture(Optional.of(version.protocolName())));
            } else {
                checks.add(client.probe(destination.mxHost(), target, Optional.of(version))
                        .handle((report, error) -> error == null && report.encrypted()
                                ? Optional.of(version.protocolName()) : Optional.<String>empty()));
            }
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(done -> checks.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    /** @param staticRoute the operator's route named the host, not DNS */
    private record HostResult(TlsCheckAnswer.MxHost answer, Optional<ProbeReport> report,
                              Optional<CertificateVerdict> daneVerdict, boolean staticRoute) {

        HostResult(TlsCheckAnswer.MxHost answer, Optional<ProbeReport> report, Destination destination) {
            this(answer, report, Optional.empty(), destination.staticRoute());
        }

        static HostResult unreachable(Destination destination, InetAddress address, String error) {
            return new HostResult(new TlsCheckAnswer.MxHost(destination.mxHost(), destination.preference(),
                    address == null ? destination.addresses().get(0).getHostAddress() : address.getHostAddress(),
                    destination.port(), false, error, null, null, null, List.of(), null, null, null, List.of(),
                    null, null, null, null, null), Optional.empty(), destination);
        }

        static HostResult reached(Destination destination, InetAddress address, ProbeReport report,
                                  List<String> versions) {
            List<TlsCheckAnswer.Certificate> chain = report.chain().stream().map(CertificateFacts::of).toList();
            Optional<CertificateVerdict> verdict = report.verdict();
            return new HostResult(new TlsCheckAnswer.MxHost(destination.mxHost(), destination.preference(),
                    address.getHostAddress(), destination.port(), true, null, report.startTlsOffered(),
                    report.startTlsRefusal().map(Object::toString).or(report::startTlsInjection).orElse(null),
                    report.handshakeFailure().orElse(null), versions,
                    report.protocol().orElse(null), report.cipher().orElse(null),
                    chain.isEmpty() ? null : chain.get(0), chain,
                    verdict.map(CertificateVerdict::isValid).orElse(null),
                    verdict.flatMap(CertificateVerdict::reason).orElse(null), null, null,
                    report.encrypted() ? report.requireTlsAdvertised() : null), Optional.of(report), destination);
        }
    }
}
