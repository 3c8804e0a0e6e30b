package io.letterlock.delivery.content;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.StoredContent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A request's content as the chunks stored on the mail-content topic, and back. Pure: the Kafka
 * parts are {@code ContentTopicReader} and intake's publisher.
 *
 * @param key    the chunks' record key, the request's message id
 * @param chunks the stored JSON cut in order, each at most the chunk size
 * @param bytes  the whole JSON's length
 * @param sha256 the whole JSON's SHA-256, lower-case hex
 */
public record ContentChunks(String key, List<byte[]> chunks, long bytes, String sha256) {

    /** The chunk header's value for chunk {@code index}. */
    public static byte[] indexHeader(int index) {
        return Integer.toString(index).getBytes(StandardCharsets.US_ASCII);
    }

    /** Cuts the JSON of {@code content} into chunks of at most {@code chunkSize} bytes. */
    public static ContentChunks cut(String key, StoredContent content, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        byte[] json = Json.toBytes(content);
        List<byte[]> chunks = new ArrayList<>(json.length / chunkSize + 1);
        for (int from = 0; from < json.length || chunks.isEmpty(); from += chunkSize) {
            chunks.add(Arrays.copyOfRange(json, from, Math.min(json.length, from + chunkSize)));
        }
        return new ContentChunks(key, List.copyOf(chunks), json.length, sha256Hex(json));
    }

    /** The reference to these chunks once the first is known to be at {@code offset} of {@code partition}. */
    public ContentRef refAt(int partition, long offset) {
        return new ContentRef(key, partition, offset, chunks.size(), bytes, sha256);
    }

    /**
     * The content from its chunks, in index order, checked against the reference.
     *
     * @throws ContentUnavailableException when they are not exactly what the reference describes
     */
    public static StoredContent join(ContentRef ref, List<byte[]> chunks) {
        if (chunks.size() != ref.chunks()) {
            throw new ContentUnavailableException(ref, "has " + chunks.size() + " of " + ref.chunks() + " chunks");
        }
        long length = chunks.stream().mapToLong(chunk -> chunk.length).sum();
        if (length != ref.bytes()) {
            throw new ContentUnavailableException(ref, "is " + length + " bytes, not " + ref.bytes());
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream((int) length);
        chunks.forEach(json::writeBytes);
        byte[] whole = json.toByteArray();
        if (!sha256Hex(whole).equals(ref.sha256())) {
            throw new ContentUnavailableException(ref, "does not match its SHA-256");
        }
        try {
            return Json.fromBytes(whole, StoredContent.class);
        } catch (RuntimeException e) {
            throw new ContentUnavailableException(ref, "does not parse: " + e.getMessage());
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
