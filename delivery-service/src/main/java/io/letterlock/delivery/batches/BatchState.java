package io.letterlock.delivery.batches;

/** What the worker knows of a job's batch when the job is due. */
public enum BatchState {
    /** The job names no batch, or its batch is neither paused nor cancelled (or was resumed). */
    SENDING,
    PAUSED,
    CANCELLED,
    /** The batch's latest record does not decode: it may say pause or cancel, so nothing is sent. */
    UNREADABLE
}
