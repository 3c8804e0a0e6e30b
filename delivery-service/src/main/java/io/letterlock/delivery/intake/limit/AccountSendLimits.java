package io.letterlock.delivery.intake.limit;

import io.letterlock.delivery.intake.config.IntakeConfig;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What one account may send through this replica, so that one tenant cannot take Kafka, the
 * producers, the request threads and the delivery workers from the others: recipients per second
 * and bytes of records per second, each a {@link TokenBucket} with room for a burst, and requests
 * in progress at once. A request takes from both buckets or from neither: it is sent whole or
 * refused whole, never in part.
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
    private final int maxInProgress;
    private final LongSupplier nanoTime;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    @Inject
    public AccountSendLimits(IntakeConfig config) {
        this(config.perAccount().messagesPerSecond(), config.perAccount().messageBurst(),
                config.perAccount().bytesPerSecond().asLongValue(), config.perAccount().byteBurst().asLongValue(),
                config.perAccount().maxRequestsInProgress(), System::nanoTime);
    }

    AccountSendLimits(double messagesPerSecond, long messageBurst, double bytesPerSecond, long byteBurst,
                      int maxInProgress, LongSupplier nanoTime) {
        require(messagesPerSecond > 0, "letterlock.intake.per-account.messages-per-second must be above 0");
        require(messageBurst >= 1, "letterlock.intake.per-account.message-burst must be at least 1");
        require(bytesPerSecond >= 1, "letterlock.intake.per-account.bytes-per-second must be at least 1");
        require(byteBurst >= 1, "letterlock.intake.per-account.byte-burst must be at least 1");
        require(maxInProgress >= 1, "letterlock.intake.per-account.max-requests-in-progress must be at least 1");
        this.messagesPerSecond = messagesPerSecond;
        this.messageBurst = messageBurst;
        this.bytesPerSecond = bytesPerSecond;
        this.byteBurst = byteBurst;
        this.maxInProgress = maxInProgress;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts a request of the account as in progress until the returned handle is closed.
     *
     * @throws TooManyRequests when the account already has as many in progress as it may
     */
    public InProgress enter(String accountId) {
        Account account = account(accountId);
        synchronized (account) {
            if (account.inProgress >= maxInProgress) {
                throw new TooManyRequests("this account already has " + account.inProgress + " in progress on this "
                        + "server, as many requests as it may have at once; send the next once one is answered", 1);
            }
            account.inProgress++;
        }
        return () -> {
            synchronized (account) {
                account.inProgress--;
            }
        };
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
        Account account = account(accountId);
        synchronized (account) {
            long now = nanoTime.getAsLong();
            long wait = Math.max(account.messages.nanosUntil(recipients, now), account.bytes.nanosUntil(bytes, now));
            if (wait > 0) {
                long seconds = TooManyRequests.secondsFrom(wait);
                throw new TooManyRequests("this account may send " + rate(messagesPerSecond) + " recipients and "
                        + rate(bytesPerSecond) + " bytes a second (" + messageBurst + " and " + byteBurst
                        + " at once); this request (" + recipients + " recipients, " + bytes + " bytes) fits in "
                        + seconds + " s",
                        seconds);
            }
            account.messages.take(recipients);
            account.bytes.take(bytes);
        }
    }

    /** Gives back what {@link #take} took, for a request that was then not sent. */
    public void giveBack(String accountId, int recipients, long bytes) {
        Account account = accounts.get(accountId);
        if (account != null) {
            synchronized (account) {
                account.messages.giveBack(recipients);
                account.bytes.giveBack(bytes);
            }
        }
    }

    private Account account(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> new Account(nanoTime.getAsLong()));
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** One request in progress; closing the handle ends it. */
    public interface InProgress extends AutoCloseable {
        @Override
        void close();
    }

    /** One account's buckets and requests in progress, guarded by this object. */
    private final class Account {
        final TokenBucket messages;
        final TokenBucket bytes;
        int inProgress;

        Account(long nowNanos) {
            messages = new TokenBucket(messagesPerSecond, messageBurst, nowNanos);
            bytes = new TokenBucket(bytesPerSecond, byteBurst, nowNanos);
        }
    }
}
