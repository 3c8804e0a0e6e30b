package io.letterlock.policy.enforcedtls;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code PATCH /v3/user/settings/enforced_tls} body: any subset of the three fields.
 * Values are checked strictly (no "true" strings, no 1 for true) and unknown fields are refused,
 * because a misspelt {@code require_tsl} silently ignored would leave mail in cleartext.
 */
public record TlsSettingsPatch(Optional<Boolean> requireTls, Optional<Boolean> requireValidCert,
                               Optional<TlsVersion> version) {

    static final String REQUIRE_TLS = "require_tls";
    static final String REQUIRE_VALID_CERT = "require_valid_cert";
    static final String VERSION = "version";
    /** The fields an unknown field's error lists. */
    static final List<String> FIELDS = List.of(REQUIRE_TLS, REQUIRE_VALID_CERT, VERSION);

    /** @throws ApiException 400 listing every field at fault */
    public static TlsSettingsPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        // In a PATCH null could mean "clear" as well as "leave": it is refused, not guessed at.
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<Boolean> requireTls = fields.bool(body.get(REQUIRE_TLS), REQUIRE_TLS);
        Optional<Boolean> requireValidCert = fields.bool(body.get(REQUIRE_VALID_CERT), REQUIRE_VALID_CERT);
        Optional<TlsVersion> version = Optional.empty();
        JsonNode versionNode = body.get(VERSION);
        if (!fields.isAbsent(versionNode)) {
            version = versionNode.isNumber() ? TlsVersion.parse(versionNode.asText()) : Optional.empty();
            if (version.isEmpty()) {
                fields.problem(VERSION, "version must be one of the numbers 1.1, 1.2, 1.3");
            }
        }
        fields.refuseUnknown(body, "", FIELDS);
        fields.throwIfAny();
        return new TlsSettingsPatch(requireTls, requireValidCert, version);
    }

    /** The settings after this patch; {@code current} itself when nothing would change. */
    public TlsSettings applyTo(TlsSettings current, Instant now) {
        TlsSettings patched = new TlsSettings(current.accountId(),
                requireTls.orElse(current.requireTls()),
                requireValidCert.orElse(current.requireValidCert()),
                version.orElse(current.version()),
                now);
        boolean unchanged = patched.requireTls() == current.requireTls()
                && patched.requireValidCert() == current.requireValidCert()
                && patched.version() == current.version();
        return unchanged ? current : patched;
    }
}
