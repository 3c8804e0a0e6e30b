package io.letterlock.delivery.attempt;

import io.letterlock.mail.RootCause;
import io.letterlock.service.reach.ReachConfig;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.delivery.attempt.DeliveryOutcome.Kind;
import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.NoDestination;
import io.letterlock.mail.dns.Route;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.smtp.SessionEndpoints;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpReply;
import io.letterlock.mail.smtp.SmtpSession;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.smtp.TransactionResult;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.receiver.ReceiverPolicies;
import io.letterlock.mail.requiretls.HostPlan;
import io.letterlock.mail.requiretls.MessageTlsRequest;
import io.letterlock.mail.requiretls.RequireTlsDecisions;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;
import io.letterlock.mail.tls.TlsPolicyDecisions;
import io.letterlock.mail.tlsrpt.SessionTls;
import io.letterlock.mail.tlsrpt.ReportedResult;
import io.letterlock.mail.tlsrpt.TlsRptDecisions;
import io.letterlock.service.net.AddressGuard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One delivery attempt of one message: route the recipient domain, then try its MX hosts and
 * their addresses in order (RFC 5321 §5.1) until one takes the message or refuses it for good.
 *
 * <p>A connection that fails, or a host whose TLS falls short of the policy, sends the attempt on
 * to the next host: another MX may offer what this one lacks. Only when no host delivered does the
 * attempt end: blocked if a host lacked TLS the policy requires, deferred otherwise. Once a host
 * answered the transaction itself, its answer is final for this attempt; so is data injected into
 * a STARTTLS exchange, which defers at once.
 *
 * <p>A message's own request (RFC 8689, {@link RequireTlsDecisions}) is applied per host as well: a
 * REQUIRETLS message skips a host that falls short of it and bounces ({@code 5.7.30}, blocked) when
 * none qualified and none failed for a reason that may pass; {@code TLS-Required: No} sets the
 * receiving domain's DANE and MTA-STS aside.
 */
public final class DeliveryAttempt {

    /** Where the operator opens ranges the guard refuses; named in the reason of a refusal. */
    public static final String ALLOW_KEY = ReachConfig.ALLOW;

    private final MxResolver resolver;
    private final SmtpClient client;
    private final SessionPool pool;
    private final AsyncPermits<InetSocketAddress> connections;
    private final int maxHostsTried;
    private final AddressGuard guard;
    private final ReceiverPolicies receivers;

    /**
     * @param connectionsPerAddress concurrent transactions per MX address
     * @param maxHostsTried         addresses tried in one attempt before it is deferred
     * @param guard                 which addresses found in DNS may be connected to
     */
    public DeliveryAttempt(MxResolver resolver, SmtpClient client, SessionPool pool, int connectionsPerAddress,
                           int maxHostsTried, AddressGuard guard) {
        this(resolver, client, pool, connectionsPerAddress, maxHostsTried, guard, ReceiverPolicies.NONE);
    }

    /** @param receivers what recipient domains ask of their MX hosts (DANE, MTA-STS) */
    public DeliveryAttempt(MxResolver resolver, SmtpClient client, SessionPool pool, int connectionsPerAddress,
                           int maxHostsTried, AddressGuard guard, ReceiverPolicies receivers) {
        this.receivers = receivers;
        this.resolver = resolver;
        this.client = client;
        this.pool = pool;
        this.connections = new AsyncPermits<>(connectionsPerAddress);
        this.maxHostsTried = maxHostsTried;
        this.guard = guard;
    }

    /** A message that asks nothing of TLS beyond its sender's policy. */
    public CompletionStage<DeliveryOutcome> deliver(String recipientDomain, Envelope envelope, EffectiveTlsPolicy policy) {
        return deliver(recipientDomain, envelope, policy, MessageTlsRequest.NONE);
    }

    /**
     * @param policy  the sender's policy: the account's flags, or its policy for the domain
     * @param message what the message itself asks (RFC 8689); under REQUIRETLS the envelope goes
     *                with {@code MAIL FROM:<…> REQUIRETLS}
     */
    public CompletionStage<DeliveryOutcome> deliver(String recipientDomain, Envelope envelope, EffectiveTlsPolicy policy,
                                                    MessageTlsRequest message) {
        return deliver(recipientDomain, envelope, policy, message, observed -> { });
    }

    /**
     * @param sessions told, as each becomes known, every session opened with an MX host (not one
     *                 taken from the pool) and every policy failure that kept the attempt from one
     *                 (TLS-RPT, RFC 8460); never for a static route, the operator's own
     */
    public CompletionStage<DeliveryOutcome> deliver(String recipientDomain, Envelope envelope, EffectiveTlsPolicy policy,
                                                    MessageTlsRequest message, Consumer<ObservedSession> sessions) {
        Envelope onWire = message == MessageTlsRequest.REQUIRETLS ? envelope.withRequireTls() : envelope;
        return resolver.resolve(recipientDomain).thenCompose(route -> {
            if (route instanceof Route.Destinations d) {
                return receivers.find(recipientDomain, d.destinations()).thenCompose(found -> {
                    // RFC 8460 §4.3.2: an MTA-STS policy that could not be fetched, a bogus DNSSEC
                    // lookup for DANE; counted once per attempt they affected.
                    Failures failures = new Failures(sessions);
                    TlsRptDecisions.beforeSessions(found.mtaSts(), found.dane()).forEach(failures::policyFailure);
                    Candidates candidates = candidates(recipientDomain, d.destinations(), found, policy, message,
                            failures);
                    if (candidates.toTry().isEmpty() && candidates.firstRefused().isPresent()) {
                        return done(candidates.firstRefused().get());
                    }
                    return tryHosts(candidates.toTry(), 0, onWire, failures);
                });
            }
            return done(withoutDestination(recipientDomain, route));
        });
    }

    private static DeliveryOutcome withoutDestination(String domain, Route route) {
        NoDestination none = NoDestination.of(domain, route);
        return DeliveryOutcome.withoutConnection(none.temporary() ? Kind.DEFERRED : Kind.BOUNCED, none.reason(),
                none.status());
    }

    /**
     * The addresses to try, in order. An address found in DNS that the guard refuses (loopback,
     * private, link-local…) is never connected to: whoever controls a recipient domain's DNS would
     * otherwise make this service speak SMTP to hosts inside the operator's network. A static
     * route's addresses are the operator's own and pass as written.
     */
    private Candidates candidates(String domain, List<Destination> destinations, ReceiverPolicies.Findings found,
                                  EffectiveTlsPolicy policy, MessageTlsRequest message, Failures failures) {
        List<Candidate> toTry = new ArrayList<>();
        DeliveryOutcome firstRefused = null;
        for (Destination destination : destinations) {
            HostPlan plan = RequireTlsDecisions.beforeConnect(policy, message, destination.mxHost(),
                    destination.staticRoute(), found.requirements().get(destination.mxHost()), found.mx());
            if (plan instanceof HostPlan.ReceiverRefused refused) {
                // The receiving domain's rules rule this host out now; its addresses are not tried.
                failures.receiverRefused(destination.mxHost(), refused.refused(), policy);
                if (!destination.staticRoute()) {
                    TlsRptDecisions.unlistedMx(found.mtaSts(), destination.mxHost(), refused.refused())
                            .ifPresent(failures::policyFailure);
                }
                continue;
            }
            if (plan instanceof HostPlan.FallsShort shortfall) {
                // REQUIRETLS: not found securely; connecting would teach nothing more.
                failures.requireTlsShortfall(destination.mxHost(), Optional.empty(), shortfall.detail(), Optional.empty(),
                        new HostTlsPolicy(policy, ReceiverPolicy.NONE, true).effective());
                continue;
            }
            HostPlan.Connect connect = (HostPlan.Connect) plan;
            for (InetAddress address : destination.addresses()) {
                Candidate candidate = new Candidate(destination.mxHost(),
                        new InetSocketAddress(address, destination.port()), connect.host(), domain, connect.observed(),
                        destination.staticRoute());
                Optional<String> refusal = destination.staticRoute() ? Optional.empty() : guard.refusal(address);
                if (refusal.isPresent()) {
                    if (firstRefused == null) {
                        firstRefused = refused(candidate, refusal.get());
                    }
                } else if (toTry.size() < maxHostsTried) {
                    toTry.add(candidate);
                }
            }
        }
        return new Candidates(toTry, Optional.ofNullable(firstRefused));
    }

    /**
     * Every MX address being refused is the recipient domain's DNS, not a passing fault: most
     * likely a misconfiguration or an attempt to reach internal hosts, and retrying for days would
     * change nothing. So it bounces at once (RFC 3463 X.4.4, unable to route), as Postfix bounces
     * mail whose MX "loops back to myself"; the reason names the key that would open the range.
     */
    private static DeliveryOutcome refused(Candidate candidate, String refusal) {
        return new DeliveryOutcome(Kind.BOUNCED, Optional.empty(), "550 5.4.4 " + candidate.mxHost() + "["
                + candidate.address().getAddress().getHostAddress() + "]: " + refusal + ", refused (" + ALLOW_KEY + ")",
                "5.4.4", Optional.of(candidate.mxHost()), Optional.of(candidate.address()), Optional.empty());
    }

    private CompletableFuture<DeliveryOutcome> tryHosts(List<Candidate> candidates, int index, Envelope envelope,
                                                        Failures failures) {
        if (index >= candidates.size()) {
            return done(failures.outcome());
        }
        Candidate candidate = candidates.get(index);
        return connections.acquire(candidate.address())
                .thenCompose(permit -> tryHost(candidate, envelope, failures))
                .whenComplete((outcome, error) -> connections.release(candidate.address()))
                .thenCompose(outcome -> outcome.isPresent()
                        ? done(outcome.get())
                        : tryHosts(candidates, index + 1, envelope, failures));
    }

    /** @return empty when the next host should be tried */
    private CompletableFuture<Optional<DeliveryOutcome>> tryHost(Candidate candidate, Envelope envelope,
                                                                 Failures failures) {
        Optional<SessionPool.Lent> pooled = pool.take(candidate.mxHost(), candidate.address(), candidate.host());
        if (pooled.isPresent()) {
            return transact(pooled.get().session(), pooled.get().tls(), true, candidate, envelope).thenCompose(outcome -> {
                if (outcome.isPresent()) {
                    // Counted for this domain once it carried (or took part of) its message; a
                    // connection found dead carried nothing and the new one is counted instead.
                    reportReused(candidate, pooled.get(), failures.sessions);
                    return CompletableFuture.completedFuture(outcome);
                }
                // The idle connection had died (servers close idle ones); nothing was sent.
                return openAndTransact(candidate, envelope, failures, false);
            });
        }
        return openAndTransact(candidate, envelope, failures, false);
    }

    /**
     * @param cleartext never start TLS: the opportunistic retry on a new connection after a
     *                  failed handshake, which is made at most once
     */
    private CompletableFuture<Optional<DeliveryOutcome>> openAndTransact(Candidate candidate, Envelope envelope,
                                                                         Failures failures, boolean cleartext) {
        AtomicReference<SessionEndpoints> greeted = new AtomicReference<>();
        return client.open(candidate.mxHost(), candidate.address(), candidate.host(), cleartext, greeted::set)
                .handle((outcome, error) -> {
            if (error == null) {
                observe(candidate, outcome);
                report(candidate, outcome, Optional.ofNullable(greeted.get()), failures.sessions);
            }
            Optional<String> shortOfRequireTls = error != null || !candidate.host().requiretls() ? Optional.empty()
                    : outcome instanceof SessionOutcome.Ready ready
                    ? RequireTlsDecisions.beforeTransaction(candidate.mxHost(), ready.session().tls(),
                            ready.session().capabilities())
                    : RequireTlsDecisions.afterSessionRefused(outcome);
            if (error != null) {
                failures.unreachable(candidate, RootCause.message(error));
            } else if (shortOfRequireTls.isPresent()) {
                // RFC 8689 §4.2.1: not this host; the next MX may qualify. A session that came up
                // may still carry other messages before its QUIT, so it goes back to the pool.
                if (outcome instanceof SessionOutcome.Ready ready) {
                    pool.give(ready.session());
                }
                failures.requireTlsShortfall(candidate.mxHost(), Optional.of(candidate.address()), shortOfRequireTls.get(),
                        tlsOf(outcome), candidate.host().effective());
            } else if (outcome instanceof SessionOutcome.Ready ready) {
                return transact(ready.session(), ready.session().tls(), false, candidate, envelope);
            } else if (outcome instanceof SessionOutcome.Injected injected) {
                // Someone on the path tampered with STARTTLS: the attempt ends here, so that no
                // other connection, to this host or the next, carries the message in cleartext.
                return CompletableFuture.completedFuture(Optional.of(new DeliveryOutcome(Kind.DEFERRED,
                        Optional.empty(), injected.reason(), SessionOutcome.Injected.STATUS,
                        Optional.of(candidate.mxHost()), Optional.of(candidate.address()),
                        Optional.of(injected.tls())).decidedUnder(candidate.host().effective())));
            } else if (cleartext) {
                failures.unreachable(candidate, "cleartext retry after a failed handshake did not open");
            } else if (outcome instanceof SessionOutcome.Blocked blocked) {
                failures.blocked(candidate, blocked.tls());
            } else if (outcome instanceof SessionOutcome.Deferred deferred) {
                failures.tlsRefused(candidate, deferred);
            } else if (outcome instanceof SessionOutcome.RetryInCleartext) {
                // Opportunistic policy after a failed handshake: a new connection, never TLS this time.
                return openAndTransact(candidate, envelope, failures, true);
            } else {
                throw new IllegalStateException("unknown session outcome " + outcome);
            }
            return CompletableFuture.completedFuture(Optional.<DeliveryOutcome>empty());
        }).thenCompose(next -> next);
    }

    /**
     * @param tls    what the session shows for this message's MX name (a session opened for
     *               another name whose certificate proves this one shows this name's verdict)
     * @param reused the session came from the pool
     * @return empty when a reused connection broke before any of the message's content was
     *         written (the server had closed it while idle), so a new connection may carry it
     */
    private CompletableFuture<Optional<DeliveryOutcome>> transact(SmtpSession session, TlsFacts tls, boolean reused,
                                                                  Candidate candidate, Envelope envelope) {
        return session.send(envelope).handle((result, error) -> {
            if (error != null) {
                session.abort();
                if (reused && session.failedBeforeContent()) {
                    return Optional.empty();
                }
                // The server may or may not have the message (RFC 5321 §6.1 accepts duplicates
                // over losses); do not hand it to another host in the same attempt.
                return Optional.of(outcome(Kind.DEFERRED, null, "lost connection with " + candidate.mxHost()
                        + ": " + RootCause.message(error), "4.4.2", tls, session.transactions(), candidate));
            }
            pool.give(session);
            SmtpReply reply = result.reply();
            Kind kind = result instanceof TransactionResult.Accepted ? Kind.DELIVERED
                    : result instanceof TransactionResult.TransientFailure ? Kind.DEFERRED
                    : Kind.BOUNCED;
            return Optional.of(outcome(kind, reply, reply.summary(), reply.statusOrDefault(), tls, session.transactions(),
                    candidate));
        });
    }

    private static DeliveryOutcome outcome(Kind kind, SmtpReply reply, String reason, String status,
                                           TlsFacts tls, int connectionUse, Candidate candidate) {
        return new DeliveryOutcome(kind, Optional.ofNullable(reply), reason, status, Optional.of(candidate.mxHost()),
                Optional.of(candidate.address()), Optional.of(tls),
                // This message's policy at this host, not the one a reused session was opened under.
                Optional.of(candidate.host().effective()), connectionUse);
    }

    private static CompletableFuture<DeliveryOutcome> done(DeliveryOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }


    /**
     * TLS-RPT: a session opened with an MX host found in DNS counts once, as soon as its TLS is
     * known (RFC 8460 §4.3), whatever the sender's policy then does with it.
     */
    private static void report(Candidate candidate, SessionOutcome outcome, Optional<SessionEndpoints> endpoints,
                               Consumer<ObservedSession> sessions) {
        if (outcome instanceof SessionOutcome.Ready ready) {
            ready.session().firstReportFor(candidate.domain());
        }
        if (candidate.staticRoute()) {
            return;
        }
        TlsRptDecisions.session(candidate.host(), candidate.observed(), candidate.mxHost(), SessionTls.of(outcome))
                .ifPresent(result -> sessions.accept(new ObservedSession(result, endpoints)));
    }

    /**
     * A reused session counts once for each recipient domain whose mail it carries (TLS-RPT), as the
     * connection of its own that the domain's message would otherwise have opened (and an MTA-STS
     * testing policy judges it then): before, a domain whose mail only ever went over connections
     * opened for another domain, or lent from another MX name, had no session in its report.
     */
    private void reportReused(Candidate candidate, SessionPool.Lent lent, Consumer<ObservedSession> sessions) {
        if (!lent.session().firstReportFor(candidate.domain())) {
            return;
        }
        candidate.observed().ifPresent(policy -> receivers.observe(candidate.domain(), candidate.mxHost(), policy,
                lent.tls()));
        if (candidate.staticRoute()) {
            return;
        }
        TlsRptDecisions.session(candidate.host(), candidate.observed(), candidate.mxHost(),
                        SessionTls.of(lent.session(), lent.tls()))
                .ifPresent(result -> sessions.accept(new ObservedSession(result, lent.session().endpoints())));
    }

    /** MTA-STS testing: what a session with a host showed is judged against the policy and recorded. */
    private void observe(Candidate candidate, SessionOutcome outcome) {
        candidate.observed().ifPresent(policy -> tlsOf(outcome).ifPresent(tls ->
                receivers.observe(candidate.domain(), candidate.mxHost(), policy, tls)));
    }

    private static Optional<TlsFacts> tlsOf(SessionOutcome outcome) {
        if (outcome instanceof SessionOutcome.Ready ready) {
            return Optional.of(ready.session().tls());
        }
        if (outcome instanceof SessionOutcome.Deferred deferred) {
            return Optional.of(deferred.tls());
        }
        return outcome instanceof SessionOutcome.Blocked blocked ? Optional.of(blocked.tls()) : Optional.empty();
    }

    /**
     * One address of one MX host, and the policy a connection to it is held to.
     *
     * @param observed    a testing-mode MTA-STS policy the session is judged against, for the record only
     * @param staticRoute the operator's own route: never reported to the domain (TLS-RPT)
     */
    private record Candidate(String mxHost, InetSocketAddress address, HostTlsPolicy host, String domain,
                             Optional<MtaStsPolicy> observed, boolean staticRoute) {
    }

    /** The addresses to try, and how the attempt ends when the guard left none. */
    private record Candidates(List<Candidate> toTry, Optional<DeliveryOutcome> firstRefused) {
    }

    /** What went wrong with the hosts tried so far, to say why nothing was delivered. */
    private static final class Failures {
        private final Consumer<ObservedSession> sessions;
        private DeliveryOutcome blocked;
        private DeliveryOutcome tlsRefused;
        private DeliveryOutcome unreachable;
        private DeliveryOutcome receiverRefused;
        private DeliveryOutcome requireTlsShortfall;

        Failures(Consumer<ObservedSession> sessions) {
            this.sessions = sessions;
        }

        /** A policy failure that kept the attempt from a host, for TLS-RPT: no session was opened. */
        void policyFailure(ReportedResult failure) {
            sessions.accept(new ObservedSession(failure, Optional.empty()));
        }

        void blocked(Candidate candidate, TlsFacts tls) {
            if (blocked == null) {
                blocked = new DeliveryOutcome(Kind.BLOCKED, Optional.empty(), TlsPolicyDecisions.TLS_REQUIRED_REASON,
                        TlsPolicyDecisions.TLS_REQUIRED_STATUS, Optional.of(candidate.mxHost()),
                        Optional.of(candidate.address()), Optional.of(tls)).decidedUnder(candidate.host().effective());
            }
        }

        void tlsRefused(Candidate candidate, SessionOutcome.Deferred deferred) {
            if (tlsRefused == null) {
                tlsRefused = new DeliveryOutcome(Kind.DEFERRED, deferred.reply(), deferred.reason(), deferred.status(),
                        Optional.of(candidate.mxHost()), Optional.of(candidate.address()), Optional.of(deferred.tls()))
                        .decidedUnder(candidate.host().effective());
            }
        }

        /** A host the receiving domain's rules ruled out before connecting (RFC 8461 §4.1, RFC 7672 §2.1.1). */
        void receiverRefused(String mxHost, HostRequirement.Refused refused, EffectiveTlsPolicy sender) {
            if (receiverRefused == null) {
                receiverRefused = new DeliveryOutcome(Kind.DEFERRED, Optional.empty(), refused.reason(), "4.7.5",
                        Optional.of(mxHost), Optional.empty(), Optional.empty())
                        .decidedUnder(new EffectiveTlsPolicy(true, true, sender.minTlsVersion(), true, refused.source()));
            }
        }

        /**
         * A host that falls short of a REQUIRETLS message (RFC 8689 §4.2.1), the first one named:
         * the bounce, blocked, {@value RequireTlsDecisions#STATUS}, if no host qualifies.
         */
        void requireTlsShortfall(String mxHost, Optional<InetSocketAddress> address, String detail,
                                 Optional<TlsFacts> tls, EffectiveTlsPolicy applied) {
            if (requireTlsShortfall == null) {
                requireTlsShortfall = new DeliveryOutcome(Kind.BLOCKED, Optional.empty(),
                        RequireTlsDecisions.bounceReason(detail), RequireTlsDecisions.STATUS, Optional.of(mxHost), address,
                        tls).decidedUnder(applied);
            }
        }

        void unreachable(Candidate candidate, String reason) {
            unreachable = new DeliveryOutcome(Kind.DEFERRED, Optional.empty(), candidate.mxHost() + "["
                    + candidate.address().getAddress().getHostAddress() + "]: " + reason, "4.4.1",
                    Optional.of(candidate.mxHost()), Optional.of(candidate.address()), Optional.empty());
        }

        /**
         * No host took the message. A TLS problem (a certificate, a handshake, STARTTLS refused for
         * now) says more than a dead host; a host without the TLS the policy requires, or short of
         * a REQUIRETLS message's requirements, ends the message only if no host deferred for a
         * reason that may pass (TLS, a receiver's lookup, or being unreachable).
         */
        DeliveryOutcome outcome() {
            if (tlsRefused != null) {
                return tlsRefused;
            }
            if (receiverRefused != null) {
                return receiverRefused;
            }
            if (unreachable != null) {
                return unreachable;
            }
            if (requireTlsShortfall != null) {
                return requireTlsShortfall;
            }
            if (blocked != null) {
                return blocked;
            }
            return DeliveryOutcome.withoutConnection(Kind.DEFERRED, "no MX host could be tried", "4.4.1");
        }
    }
}
