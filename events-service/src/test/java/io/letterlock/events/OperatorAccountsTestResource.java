package io.letterlock.events;

import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The one operator account (letterlock.operator-accounts) of the application under test. */
public class OperatorAccountsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final TestAccount OPERATOR = TestAccounts.OTHER_PARENT;

    @Override
    public Map<String, String> start() {
        return Map.of("letterlock.operator-accounts", OPERATOR.id());
    }

    @Override
    public void stop() {
    }
}
