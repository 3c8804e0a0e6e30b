package io.letterlock.delivery.attempt;

import io.letterlock.mail.smtp.SessionEndpoints;
import io.letterlock.mail.tlsrpt.ReportedResult;

import java.util.Objects;
import java.util.Optional;

/**
 * One session an attempt opened with an MX host, or one policy failure that kept it from one, as
 * TLS-RPT counts it (RFC 8460): told to whoever records them the moment it is known. A session
 * taken from the pool is not told again: it was counted when it was opened.
 *
 * @param result    what it counts as
 * @param endpoints where the session ran; empty for a failure without a session
 */
public record ObservedSession(ReportedResult result, Optional<SessionEndpoints> endpoints) {

    public ObservedSession {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(endpoints, "endpoints");
    }
}
