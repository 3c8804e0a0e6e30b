package io.letterlock.mail.dns;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sits between dnsjava's validator and the resolver and notes, per lookup, every question the
 * resolver failed to answer: a timeout, a network error, or an rcode other than NOERROR and NXDOMAIN.
 *
 * <p>Why: when such a failure hits one of the DS or DNSKEY questions of a chain of trust, dnsjava's
 * {@code ValidatingResolver} may give up on the proof and return the answer unvalidated, without
 * the AD bit and without a reason, which looks exactly like an insecure answer. Taking that for
 * insecure would turn a dropped packet into "DANE does not apply" (a downgrade RFC 7672 §2.1.1
 * forbids), so a lookup with any noted failure is {@link DnssecAnswer.Indeterminate}. The lookup is
 * told apart by the {@link Executor} it passes, which the validator hands down to every question it
 * asks for that lookup ({@link LookupTrace}).
 */
final class TracingResolver implements Resolver {

    private final Resolver upstream;
    private volatile Duration timeout;

    TracingResolver(Resolver upstream, Duration timeout) {
        this.upstream = upstream;
        setTimeout(timeout);
    }

    /** One lookup's record of failed questions; runs the lookup's callbacks on the DNS threads. */
    static final class LookupTrace implements Executor {

        private final Queue<String> failures = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable command) {
            DnsClient.CALLBACKS.execute(command);
        }

        void failed(String why) {
            failures.add(why);
        }

        /** The first question that failed, if one did. */
        Optional<String> failure() {
            return Optional.ofNullable(failures.peek());
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        CompletableFuture<Message> sent;
        try {
            sent = upstream.sendAsync(query, executor).toCompletableFuture().copy();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // The resolver times each try out itself; this bounds the question if a future is ever lost.
        sent = sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!(executor instanceof LookupTrace trace)) {
            return sent;
        }
        String question = question(query);
        // Noted before the validator sees the answer: its next step depends on this stage.
        return sent.whenComplete((response, error) -> {
            if (error != null) {
                trace.failed(describe(question, error, timeout));
            } else if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
                trace.failed(Rcode.string(response.getRcode()) + " for " + question);
            }
        });
    }

    static String question(Message query) {
        return query.getQuestion() == null ? "(no question)"
                : query.getQuestion().getName().toString(true) + "/" + Type.string(query.getQuestion().getType());
    }

    static String describe(String question, Throwable error, Duration limit) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                || String.valueOf(cause.getMessage()).startsWith("Timed out")) {
            return "no answer for " + question + " within " + limit.toMillis() + " ms";
        }
        return question + " failed: " + cause;
    }

    @Override
    public void setPort(int port) {
        upstream.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
        upstream.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        upstream.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        upstream.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        upstream.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
        upstream.setTimeout(timeout);
    }

    @Override
    public Duration getTimeout() {
        return timeout;
    }
}
