package io.letterlock.service.auth;

import io.letterlock.service.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts of the API keys file that may see or act on what concerns all accounts (delivery's
 * MTA-STS policy cache, events-service's TLS reports to receiving domains):
 * {@code letterlock.operator-accounts}, one key with one meaning in every service, none by default.
 * Everyone else gets 403.
 */
@ApplicationScoped
public class OperatorAccounts {

    private final Set<String> operators;

    public OperatorAccounts(@ConfigProperty(name = "letterlock.operator-accounts") Optional<List<String>> operators) {
        this.operators = Set.copyOf(operators.orElse(List.of()));
    }

    /** Throws 403 unless the calling account is an operator. */
    public void require(Caller caller) {
        if (!operators.contains(caller.accountId())) {
            throw ApiException.forbidden("only operator accounts (letterlock.operator-accounts) may do this");
        }
    }
}
