package io.letterlock.events.webhooks.settings;

import io.letterlock.events.webhooks.settings.WebhookUrlCheck.RefusedUrlException;
import io.letterlock.service.net.AddressGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which webhook URLs may be stored; the addresses themselves are AddressGuardTest's (service-kit). */
class WebhookUrlCheckTest {

    private final AddressGuard guard = new AddressGuard(List.of());

    @Test
    void namesTheReasonForTheCloudMetadataAddress() {
        assertThatThrownBy(() -> WebhookUrlCheck.check("http://169.254.169.254/latest/meta-data/", guard))
                .isInstanceOf(RefusedUrlException.class)
                .hasMessageContaining("169.254.169.254 is a link-local address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://93.184.215.14/", "file:///etc/passwd", "93.184.215.14/hook", "https:///nohost",
            "https://user:pass@93.184.215.14/hook", "http://[::1]/", "http://localhost:8080/hook", "not a url"})
    void refusesUrlsThatAreNotPublicHttp(String url) {
        assertThatThrownBy(() -> WebhookUrlCheck.check(url, guard)).isInstanceOf(RefusedUrlException.class)
                .hasMessageStartingWith("url ");
    }

    @Test
    void acceptsAHostThatDoesNotResolveYetAndLeavesItToTheConnectionCheck() {
        assertThat(WebhookUrlCheck.check("https://hooks.letterlock.invalid/sendgrid", guard).getHost())
                .isEqualTo("hooks.letterlock.invalid");
    }

    @Test
    void acceptsAPublicHttpsUrl() {
        assertThat(WebhookUrlCheck.check("https://93.184.215.14:8443/hooks/sendgrid?x=1", guard).getPort())
                .isEqualTo(8443);
    }
}
