package io.letterlock.policy.replicas;

import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged service, run as operators run it, on the same topics: Kafka is the store, so a
 * restarted replica and a second replica answer what the first one stored.
 *
 * <p>Each test has its own topics, consumer group and processes, so they run side by side: most of
 * their time is the services' start.
 */
@Execution(ExecutionMode.CONCURRENT)
class PolicyServiceReplicasIT {

    private static final String SETTINGS = "/v3/user/settings/enforced_tls";
    private static final String DOMAINS = SETTINGS + "/domains";
    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));

    private final TestAccount alice = TestAccounts.account(1);
    private final TestAccount bob = TestAccounts.account(2);
    private Map<String, String> config;
    private ServiceProcess first;
    private ServiceProcess second;

    @BeforeEach
    void sharedTopicsAndKeys() {
        config = new HashMap<>(LetterlockTopics.uniqueTopicConfig());
        config.put("letterlock.suppressions.consumer-group", "policy-suppressions-" + UUID.randomUUID());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("target")).toAbsolutePath().toString());
    }

    @AfterEach
    void stopAll() {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
    }

    private static RequestSpecification at(ServiceProcess service, TestAccount account) {
        return given().baseUri(service.baseUrl()).header("Authorization", account.bearer())
                .contentType("application/json");
    }

    @Test
    void restartedServiceRebuildsItsViewFromTheTopics() {
        first = new ServiceProcess("policy-restart", JAR, config).start();
        at(first, alice).body("{\"require_tls\": true, \"version\": 1.2}").patch(SETTINGS).then().statusCode(200);
        at(first, alice).body("{\"mode\": \"verify\"}").put(DOMAINS + "/bank.example").then().statusCode(200);
        at(first, alice).body("{\"mode\": \"none\"}").put(DOMAINS + "/gone.example").then().statusCode(200);
        at(first, alice).delete(DOMAINS + "/gone.example").then().statusCode(204);
        first.stop();

        first = new ServiceProcess("policy-restart", JAR, config).start();

        at(first, alice).get(SETTINGS).then().statusCode(200)
                .body(equalTo("{\"require_tls\":true,\"require_valid_cert\":false,\"version\":1.2}"));
        at(first, alice).get(DOMAINS + "/bank.example").then().statusCode(200).body("mode", equalTo("verify"));
        at(first, alice).get(DOMAINS + "/gone.example").then().statusCode(404);
        at(first, bob).get(SETTINGS).then().body("require_tls", equalTo(false));
    }

    @Test
    void twoReplicasOnTheSameTopicsAnswerTheSame() {
        first = new ServiceProcess("policy-replica-a", JAR, config).start();
        second = new ServiceProcess("policy-replica-b", JAR, config).start();

        at(first, alice).body("{\"require_valid_cert\": true}").patch(SETTINGS).then().statusCode(200);
        at(second, bob).body("{\"mode\": \"encrypt\"}").put(DOMAINS + "/shop.example").then().statusCode(200);

        // Each replica reads its own writes at once; the other sees them as soon as its view has them.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                at(second, alice).get(SETTINGS).then().body("require_valid_cert", equalTo(true)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                at(first, bob).get(DOMAINS + "/shop.example").then().statusCode(200).body("mode", equalTo("encrypt")));

        // A write through the second replica on top of the first's keeps both fields.
        at(second, alice).body("{\"require_tls\": true}").patch(SETTINGS).then().statusCode(200)
                .body(equalTo("{\"require_tls\":true,\"require_valid_cert\":true,\"version\":1.1}"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                at(first, alice).get(SETTINGS).then()
                        .body(equalTo("{\"require_tls\":true,\"require_valid_cert\":true,\"version\":1.1}")));
    }
}
