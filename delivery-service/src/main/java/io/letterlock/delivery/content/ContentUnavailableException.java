package io.letterlock.delivery.content;

import io.letterlock.contracts.ContentRef;

/**
 * A job's stored content is gone or not what its reference says (retention passed, or the records
 * are damaged): reading again will not help, so the job cannot be sent.
 */
public final class ContentUnavailableException extends RuntimeException {

    public ContentUnavailableException(ContentRef ref, String problem) {
        super("the stored content " + ref.key() + " at " + ref.partition() + "@" + ref.offset() + " " + problem);
    }
}
