package io.letterlock.service.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The account a request acts for: the key's own account, or its subuser when the request carries
 * {@code on-behalf-of}. Set by {@link ApiKeyFilter} before any resource runs.
 */
@RequestScoped
public class Caller {

    private String accountId;

    void actAs(String accountId) {
        this.accountId = accountId;
    }

    /** @throws IllegalStateException when no filter authenticated the request (a wiring bug) */
    public String accountId() {
        if (accountId == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return accountId;
    }
}
