package io.letterlock.service.auth;

import java.util.Optional;

/**
 * An account that may call the API.
 *
 * @param parentId the parent account, for a subuser; the parent may act for it with
 *                 {@code on-behalf-of}
 */
public record Account(String id, Optional<String> parentId) {
}
