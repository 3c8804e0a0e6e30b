package io.letterlock.delivery.intake;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What one account may send through this replica, so that one tenant cannot take Kafka, the
 * producers and the delivery workers from the others: recipients per second and bytes of records
 * per second, each a {@link TokenBucket} with room for a burst. A request takes from both buckets
 * or from neither: it is sent whole or refused whole, never in part.
 *
 * <p>Each replica keeps its own buckets (no coordination, nothing to fail): behind n replicas an
 * account may send up to n times the configured rates. Buckets are kept per authenticated account,
 * so there are as many as the API keys file has accounts.
 */
@ApplicationScoped
public class AccountSendLimits {

    private final double messagesPerSecond;
    private final long messageBurst;
    private final double bytesPerSecond;
    private final long byteBurst;
    private final LongSupplier nanoTime;
    private final Map<String, Buckets> accounts = new ConcurrentHashMap<>();

    @Inject
    public AccountSendLimits(IntakeConfig config) {
        this(config.perAccount().messagesPerSecond(), config.perAccount().messageBurst(),
                config.perAccount().bytesPerSecond().asLongValue(), config.perAccount().byteBurst().asLongValue(),
                System::nanoTime);
    }

    AccountSendLimits(double messagesPerSecond, long messageBurst, double bytesPerSecond, long byteBurst,
                      LongSupplier nanoTime) {
        require(messagesPerSecond > 0, "letterlock.intake.per-account.messages-per-second must be above 0");
        require(messageBurst >= 1, "letterlock.intake.per-account.message-burst must be at least 1");
        require(bytesPerSecond >= 1, "letterlock.intake.per-account.bytes-per-second must be at least 1");
        require(byteBurst >= 1, "letterlock.intake.per-account.byte-burst must be at least 1");
        this.messagesPerSecond = messagesPerSecond;
        this.messageBurst = messageBurst;
        this.bytesPerSecond = bytesPerSecond;
        this.byteBurst = byteBurst;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a request's recipients and bytes from the account's buckets, or nothing.
     *
     * @throws ApiException     400 when the request has more recipients than the account may ever send
     *                          at once, 413 when it has more bytes: waiting would not help
     * @throws TooManyRequests when the account sent so much lately that this request does not fit yet;
     *                          its Retry-After is when it will
     */
    public void take(String accountId, int recipients, long bytes) {
        if (recipients > messageBurst) {
            throw ApiException.badRequest("personalizations", "a request may have at most " + messageBurst
                    + " recipients under this account's sending rate; this one has " + recipients);
        }
        if (bytes > byteBurst) {
            throw new ApiException(413, ApiError.of(null, "the request is too large to queue: its recipients' "
                    + "copies of the message would take " + bytes + " bytes together, and this account may send at "
                    + "most " + byteBurst + " bytes at once; send to fewer recipients per request, or a smaller message"));
        }
        Buckets buckets = accounts.computeIfAbsent(accountId, id -> new Buckets(nanoTime.getAsLong()));
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            long wait = Math.max(buckets.messages.nanosUntil(recipients, now), buckets.bytes.nanosUntil(bytes, now));
            if (wait > 0) {
                long seconds = TooManyRequests.secondsFrom(wait);
                throw new TooManyRequests("this account may send " + rate(messagesPerSecond) + " recipients and "
                        + rate(bytesPerSecond) + " bytes a second (" + messageBurst + " and " + byteBurst
                        + " at once); this request's " + recipients + " recipients fit again in " + seconds + " s",
                        seconds);
            }
            buckets.messages.take(recipients);
            buckets.bytes.take(bytes);
        }
    }

    /** Gives back what {@link #take} took, for a request that was then not sent. */
    public void giveBack(String accountId, int recipients, long bytes) {
        Buckets buckets = accounts.get(accountId);
        if (buckets != null) {
            synchronized (buckets) {
                buckets.messages.giveBack(recipients);
                buckets.bytes.giveBack(bytes);
            }
        }
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** One account's buckets, guarded by this object. */
    private final class Buckets {
        final TokenBucket messages;
        final TokenBucket bytes;

        Buckets(long nowNanos) {
            messages = new TokenBucket(messagesPerSecond, messageBurst, nowNanos);
            bytes = new TokenBucket(bytesPerSecond, byteBurst, nowNanos);
        }
    }
}
