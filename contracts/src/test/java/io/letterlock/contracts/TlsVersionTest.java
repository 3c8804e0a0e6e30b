package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsVersionTest {

    @Test
    void parsesTheVersionNumberWithOrWithoutTrailingZeros() {
        assertThat(TlsVersion.parse("1.2")).contains(TlsVersion.TLS_1_2);
        assertThat(TlsVersion.parse(" 1.20 ")).contains(TlsVersion.TLS_1_2);
    }

    @Test
    void parsesNothingElse() {
        assertThat(TlsVersion.parse("1.0")).isEmpty();
        assertThat(TlsVersion.parse("TLSv1.2")).isEmpty();
        assertThat(TlsVersion.parse(null)).isEmpty();
    }

    @Test
    void isWrittenAsAJsonNumber() {
        assertThat(new String(Json.toBytes(TlsVersion.TLS_1_3), StandardCharsets.UTF_8)).isEqualTo("1.3");
    }

    @Test
    void isReadFromAJsonNumberOrString() {
        assertThat(Json.fromBytes("1.1".getBytes(StandardCharsets.UTF_8), TlsVersion.class)).isEqualTo(TlsVersion.TLS_1_1);
        assertThat(Json.fromBytes("\"1.3\"".getBytes(StandardCharsets.UTF_8), TlsVersion.class)).isEqualTo(TlsVersion.TLS_1_3);
    }

    @Test
    void refusesAnUnknownVersionOnRead() {
        assertThatThrownBy(() -> Json.fromBytes("1.4".getBytes(StandardCharsets.UTF_8), TlsVersion.class))
                .hasMessageContaining("unknown TLS version");
    }

    @Test
    void namesTheJsseProtocol() {
        assertThat(TlsVersion.TLS_1_2.protocolName()).isEqualTo("TLSv1.2");
    }

    @Test
    void defaultsToSendGridsMinimum() {
        assertThat(TlsVersion.DEFAULT).isEqualTo(TlsVersion.TLS_1_1);
    }
}
