package io.letterlock.policy.enforcedtls;

import io.letterlock.service.error.ApiException;
import io.letterlock.testkit.input.RandomInputs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a caller PATCHes to enforced_tls, the parser gives a patch or a 400, never anything else. */
class TlsSettingsPatchInputsTest {

    @Test
    void anyBodyIsAPatchOrA400() {
        RandomInputs.check(20261203L, 5_000,
                inputs -> inputs.body(List.of("require_tls", "require_valid_cert", "version")),
                body -> {
                    try {
                        TlsSettingsPatch.parse(body);
                    } catch (ApiException refused) {
                        assertThat(refused.status()).isEqualTo(400);
                    }
                });
    }
}
