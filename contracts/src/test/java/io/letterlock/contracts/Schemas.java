package io.letterlock.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The JSON Schemas of src/main/resources/schemas, loaded from the classpath as consumers would. */
final class Schemas {

    static final String TLS_SETTINGS = "tls-settings.schema.json";
    static final String DOMAIN_POLICY = "domain-policy.schema.json";
    static final String EFFECTIVE_TLS_POLICY = "effective-tls-policy.schema.json";
    static final String SEND_JOB = "send-job.schema.json";
    static final String MAIL_EVENT = "mail-event.schema.json";
    static final String WEBHOOK_SETTINGS = "webhook-settings.schema.json";
    static final String MTA_STS_POLICY = "mta-sts-policy.schema.json";
    static final String TLS_SESSION_RESULT = "tls-session-result.schema.json";
    static final String MAIL_BATCH = "mail-batch.schema.json";
    static final String SUPPRESSION = "suppression.schema.json";
    static final String UNSUBSCRIBE_GROUP = "unsubscribe-group.schema.json";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // Draft 2020-12 makes "format" an annotation only; assert it so date-times are checked too.
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();

    private Schemas() {
    }

    /** Loaded by location, so that mail-event's relative $ref to effective-tls-policy resolves. */
    static JsonSchema load(String file) {
        return FACTORY.getSchema(SchemaLocation.of("classpath:schemas/" + file), CONFIG);
    }

    static Set<ValidationMessage> validate(String file, byte[] json) {
        return load(file).validate(tree(json));
    }

    static Set<ValidationMessage> validate(String file, String json) {
        return validate(file, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The names in the schema's "properties", to check that the records write nothing undescribed. */
    static List<String> propertyNames(String file) {
        List<String> names = new ArrayList<>();
        load(file).getSchemaNode().get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode tree(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
