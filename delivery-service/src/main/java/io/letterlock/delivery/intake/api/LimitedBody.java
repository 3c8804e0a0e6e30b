package io.letterlock.delivery.intake.api;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A request body read up to a limit, so an oversized one is refused before it fills the memory. */
final class LimitedBody {

    private LimitedBody() {
    }

    /** @throws ApiException 413 when the body is longer than {@code maxBytes} */
    static byte[] read(InputStream body, long maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (body) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException(413, ApiError.of(null,
                            "request body is larger than the limit of " + maxBytes + " bytes"));
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
