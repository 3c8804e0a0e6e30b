package io.letterlock.delivery.content;

import io.letterlock.contracts.ContentRef;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.StoredContent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentChunksTest {

    private static final int CHUNK = 1000;

    private static StoredContent content(int fileBytes) {
        byte[] file = new byte[fileBytes];
        new Random(fileBytes).nextBytes(file);
        return new StoredContent(List.of(MailContent.plain("Your statement is attached."), MailContent.html("<p>Grüße</p>")),
                List.of(MailAttachment.of(file, "application/pdf", "statement.pdf")));
    }

    @Test
    void cutsTheJsonIntoChunksOfAtMostTheChunkSizeAndJoinsThemBack() {
        StoredContent content = content(10_000);
        byte[] json = Json.toBytes(content);

        ContentChunks chunks = ContentChunks.cut("msg-1", content, CHUNK);

        assertThat(chunks.bytes()).isEqualTo(json.length);
        assertThat(chunks.chunks()).hasSize((json.length + CHUNK - 1) / CHUNK)
                .allSatisfy(chunk -> assertThat(chunk.length).isBetween(1, CHUNK));
        assertThat(chunks.chunks().subList(0, chunks.chunks().size() - 1)).allSatisfy(c -> assertThat(c).hasSize(CHUNK));
        assertThat(ContentChunks.join(chunks.refAt(2, 77), chunks.chunks())).isEqualTo(content);
    }

    @Test
    void contentSmallerThanAChunkIsOneChunk() {
        ContentChunks chunks = ContentChunks.cut("msg-2", content(10), 1 << 20);

        assertThat(chunks.chunks()).hasSize(1);
        ContentRef ref = chunks.refAt(0, 5);
        assertThat(ref.chunks()).isEqualTo(1);
        assertThat(ref.key()).isEqualTo("msg-2");
        assertThat(ref.offset()).isEqualTo(5);
    }

    @Test
    void refusesChunksThatAreMissingOutOfOrderOrChanged() {
        ContentChunks chunks = ContentChunks.cut("msg-3", content(5_000), CHUNK);
        ContentRef ref = chunks.refAt(0, 0);

        List<byte[]> missing = new ArrayList<>(chunks.chunks());
        missing.remove(2);
        List<byte[]> swapped = new ArrayList<>(chunks.chunks());
        Collections.swap(swapped, 0, 1);
        List<byte[]> changed = new ArrayList<>(chunks.chunks());
        byte[] flipped = changed.get(3).clone();
        flipped[10] ^= 1;
        changed.set(3, flipped);
        List<byte[]> shorter = new ArrayList<>(chunks.chunks());
        shorter.set(1, new byte[5]);

        assertThatThrownBy(() -> ContentChunks.join(ref, missing)).isInstanceOf(ContentUnavailableException.class)
                .hasMessageContaining("chunks");
        assertThatThrownBy(() -> ContentChunks.join(ref, swapped)).isInstanceOf(ContentUnavailableException.class)
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> ContentChunks.join(ref, changed)).isInstanceOf(ContentUnavailableException.class)
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> ContentChunks.join(ref, shorter)).isInstanceOf(ContentUnavailableException.class)
                .hasMessageContaining("bytes");
    }
}
