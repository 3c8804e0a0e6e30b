package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A claim check: where a send request's body and attachments were stored, once for all its
 * recipients, on {@link Topics#MAIL_CONTENT}. The stored bytes are the JSON of a
 * {@link StoredContent}, cut into {@code chunks} records keyed by {@code key}, each carrying its
 * index in the {@link #CHUNK_HEADER} header, written in the same transaction as the jobs that
 * point to them. The records of other requests may lie between them, so a reader starts at
 * {@code offset} and keeps the records of this key until it has them all.
 *
 * @param key       the records' key: the request's message id
 * @param partition the partition every chunk is on (one key, one partition)
 * @param offset    the first chunk's offset
 * @param chunks    how many records the content was cut into, at least one
 * @param bytes     the length of the whole stored JSON
 * @param sha256    its SHA-256, lower-case hex, checked before it is used
 */
public record ContentRef(
        @JsonProperty("key") String key,
        @JsonProperty("partition") int partition,
        @JsonProperty("offset") long offset,
        @JsonProperty("chunks") int chunks,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("sha256") String sha256) {

    /** The header naming a chunk's index (0 first), as a decimal ASCII number. */
    public static final String CHUNK_HEADER = "letterlock-chunk";

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ContentRef {
        Objects.requireNonNull(key, "key");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative");
        }
        if (chunks < 1 || bytes < 0) {
            throw new IllegalArgumentException("content_ref needs at least one chunk and a length");
        }
        if (sha256 == null || !HEX_SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }
}
