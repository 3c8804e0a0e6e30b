package io.letterlock.policy.enforcedtls;

import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.util.ArrayList;
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

    /** @throws ApiException 400 listing every field at fault */
    public static TlsSettingsPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        List<ApiError.Entry> errors = new ArrayList<>();
        Optional<Boolean> requireTls = JsonBody.optionalBoolean(body, REQUIRE_TLS, errors);
        Optional<Boolean> requireValidCert = JsonBody.optionalBoolean(body, REQUIRE_VALID_CERT, errors);
        Optional<TlsVersion> version = Optional.empty();
        JsonNode versionNode = body.get(VERSION);
        if (versionNode != null) {
            version = versionNode.isNumber() ? TlsVersion.parse(versionNode.asText()) : Optional.empty();
            if (version.isEmpty()) {
                errors.add(new ApiError.Entry(VERSION, "version must be one of the numbers 1.1, 1.2, 1.3"));
            }
        }
        JsonBody.unknownFields(body, Set.of(REQUIRE_TLS, REQUIRE_VALID_CERT, VERSION)::contains,
                "require_tls, require_valid_cert, version", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
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
