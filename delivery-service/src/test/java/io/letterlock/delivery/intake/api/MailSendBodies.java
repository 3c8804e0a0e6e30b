package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Request bodies for the tests: a valid one to start from, each with a recipient no other test uses. */
public final class MailSendBodies {

    private MailSendBodies() {
    }

    /** An address at example.com that only this call returns, to find (or miss) its records. */
    static final String PATH = "/v3/mail/send";

    /** POSTs a mail send body as the account, the way every intake test sends one. */
    static Response post(TestAccount account, String body) {
        return given().header("Authorization", account.bearer()).contentType("application/json")
                .body(body).post(PATH);
    }

    static String uniqueRecipient() {
        return "r-" + UUID.randomUUID().toString().substring(0, 13) + "@example.com";
    }

    /** One personalization to {@code recipient}, a from, a subject and a text/plain part. */
    public static ObjectNode minimal(String recipient) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("personalizations").addObject().putArray("to").addObject().put("email", recipient);
        body.putObject("from").put("email", "shop@sender.example");
        body.put("subject", "Your order");
        ArrayNode content = body.putArray("content");
        content.addObject().put("type", "text/plain").put("value", "Hello");
        return body;
    }

    static ObjectNode personalization(ObjectNode body, int index) {
        return (ObjectNode) body.withArray("personalizations").get(index);
    }
}
