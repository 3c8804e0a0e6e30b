package io.letterlock.mail.mtasts;

import io.letterlock.mail.mtasts.PolicyFetch.FetchFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the answer to one policy request and completes {@code result} once: the policy, or the
 * first reason there is none. RFC 8461 §3.3 decides what counts: status 200 only (a redirect is
 * never followed), {@code Content-Type: text/plain}, a body within the size limit, all of it within
 * the time limit. The body is counted as it arrives, so an endless one costs the limit, not memory.
 */
final class PolicyResponseHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final String TEXT_PLAIN = "text/plain";

    private final CompletableFuture<PolicyFetch> result;
    private final String host;
    private final int maxBodyBytes;
    private final long deadlineNanos;
    private final Duration totalTimeout;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ScheduledFuture<?> timeout;

    /**
     * @param deadlineNanos {@link System#nanoTime()} by which the whole policy must have arrived
     * @param totalTimeout  the limit, for the reason when it is hit
     */
    PolicyResponseHandler(CompletableFuture<PolicyFetch> result, String host, int maxBodyBytes, long deadlineNanos,
                          Duration totalTimeout) {
        this.result = result;
        this.host = host;
        this.maxBodyBytes = maxBodyBytes;
        this.deadlineNanos = deadlineNanos;
        this.totalTimeout = totalTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // From before the connection exists: a server trickling one byte a second is never idle,
        // so only a deadline on the whole exchange bounds it.
        timeout = ctx.executor().schedule(() -> fail(FetchFailure.FETCH_ERROR,
                        "no complete policy from " + host + " within " + totalTimeout.toMillis() + " ms"),
                Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        // Whoever completes the result first (also the fetcher, when the connection fails), the
        // connection ends and the deadline is no longer needed.
        result.whenComplete((fetch, error) -> {
            timeout.cancel(false);
            ctx.close();
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (result.isDone()) {
            return;
        }
        if (message.decoderResult().isFailure()) {
            fail(FetchFailure.FETCH_ERROR,
                    "malformed HTTP response from " + host + ": " + message.decoderResult().cause().getMessage());
            return;
        }
        if (message instanceof HttpResponse response && !acceptable(response)) {
            return;
        }
        if (message instanceof HttpContent content && !append(content.content())) {
            return;
        }
        if (message instanceof LastHttpContent) {
            complete(policyFrom(body.toByteArray()));
        }
    }

    /** Status, type and announced length: all can fail the fetch before any of the body is read. */
    private boolean acceptable(HttpResponse response) {
        int status = response.status().code();
        if (status >= 300 && status < 400) {
            String location = response.headers().get(HttpHeaderNames.LOCATION, "nowhere");
            fail(FetchFailure.FETCH_ERROR, "HTTP " + status + " from " + host + " redirects to "
                    + printable(location) + "; redirects are not followed (RFC 8461 §3.3)");
            return false;
        }
        if (status != 200) {
            // RFC 8461 §3.3: "only valid if the HTTP response code is 200 (OK)".
            fail(FetchFailure.FETCH_ERROR, "HTTP " + status + " " + printable(response.status().reasonPhrase())
                    + " from " + host);
            return false;
        }
        String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !mediaType(contentType).equals(TEXT_PLAIN)) {
            // RFC 8461 §3.3: senders SHOULD check for text/plain, against web servers that let users
            // put other content (HTML, images) at a chosen path; parameters such as charset are fine.
            fail(FetchFailure.FETCH_ERROR, "Content-Type "
                    + (contentType == null ? "missing" : "'" + printable(contentType) + "'")
                    + " from " + host + "; a policy is text/plain (RFC 8461 §3.3)");
            return false;
        }
        long announced = HttpUtil.getContentLength(response, -1L);
        if (announced > maxBodyBytes) {
            fail(FetchFailure.FETCH_ERROR, tooLarge("of " + announced + " bytes"));
            return false;
        }
        return true;
    }

    private boolean append(ByteBuf content) {
        int readable = content.readableBytes();
        if (body.size() + (long) readable > maxBodyBytes) {
            fail(FetchFailure.FETCH_ERROR, tooLarge("longer than that"));
            return false;
        }
        body.writeBytes(ByteBufUtil.getBytes(content));
        return true;
    }

    private String tooLarge(String size) {
        return "policy from " + host + " exceeds " + maxBodyBytes + " bytes (" + size + ")";
    }

    private PolicyFetch policyFrom(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new PolicyFetch.FetchFailed(FetchFailure.POLICY_INVALID, "policy from " + host + " is not UTF-8");
        }
        ParsedPolicy parsed = MtaStsPolicy.parse(text);
        if (parsed instanceof ParsedPolicy.Valid valid) {
            return new PolicyFetch.Fetched(valid.policy());
        }
        return new PolicyFetch.FetchFailed(FetchFailure.POLICY_INVALID,
                "policy from " + host + " is invalid: " + ((ParsedPolicy.Invalid) parsed).reason());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            failOn(handshake.cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failOn(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A close-delimited body has been completed by the decoder before this arrives.
        fail(FetchFailure.FETCH_ERROR, host + " closed the connection before the policy was complete");
    }

    private void failOn(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException certificate) {
                // RFC 8461 §3.3: the policy host's certificate must be valid for mta-sts.<domain>.
                fail(FetchFailure.WEBPKI_INVALID, "certificate of " + host + " does not verify: "
                        + certificate.getMessage());
                return;
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        fail(FetchFailure.FETCH_ERROR, "fetch from " + host + " failed: " + root);
    }

    private void fail(FetchFailure kind, String reason) {
        complete(new PolicyFetch.FetchFailed(kind, reason));
    }

    /** The first outcome counts; completing the result closes the connection (see handlerAdded). */
    private void complete(PolicyFetch fetch) {
        result.complete(fetch);
    }

    /** {@code text/plain; charset=utf-8} → {@code text/plain}. */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** Header text from the network, quoted in a reason: bounded, without control characters. */
    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 200 ? clean : clean.substring(0, 200) + "…";
    }
}
