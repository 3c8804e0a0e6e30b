package io.letterlock.service.auth;

import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates every {@code /v3/} request by its {@code Authorization: Bearer <key>} header, and
 * honours SendGrid's {@code on-behalf-of} header for a parent acting for its own subuser. Health,
 * metrics and OpenAPI under {@code /q/} stay open for probes.
 */
public class ApiKeyFilter {

    static final String ON_BEHALF_OF = "on-behalf-of";
    private static final String BEARER = "bearer ";
    /** SendGrid also accepts {@code on-behalf-of: account-id <id>}. */
    private static final String ACCOUNT_ID_FORM = "account-id ";

    private final ApiKeyRegistry registry;
    private final Caller caller;

    public ApiKeyFilter(ApiKeyRegistry registry, Caller caller) {
        this.registry = registry;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v3/")) {
            return;
        }
        Account account = bearerKey(request.getHeaderString("Authorization"))
                .flatMap(registry::authenticate)
                .orElseThrow(ApiException::unauthorized);
        String onBehalfOf = request.getHeaderString(ON_BEHALF_OF);
        if (onBehalfOf == null || onBehalfOf.isBlank()) {
            caller.actAs(account.id());
            return;
        }
        String subuser = subuserId(onBehalfOf.strip());
        // Same answer whether the subuser does not exist or belongs to someone else: no probing.
        boolean isOwnSubuser = registry.account(subuser)
                .flatMap(Account::parentId)
                .filter(account.id()::equals)
                .isPresent();
        if (!isOwnSubuser) {
            throw ApiException.forbidden("on-behalf-of names no subuser of this account");
        }
        caller.actAs(subuser);
    }

    private static Optional<String> bearerKey(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        String key = authorization.substring(BEARER.length()).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static String subuserId(String header) {
        return header.toLowerCase(Locale.ROOT).startsWith(ACCOUNT_ID_FORM)
                ? header.substring(ACCOUNT_ID_FORM.length()).strip()
                : header;
    }
}
