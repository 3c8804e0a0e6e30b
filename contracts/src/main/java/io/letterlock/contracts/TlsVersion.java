package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The minimum TLS protocol version a sender accepts. On the wire it is a JSON number
 * ({@code 1.1}, {@code 1.2}, {@code 1.3}) as in SendGrid's Enforced TLS settings.
 */
public enum TlsVersion {
    TLS_1_1("1.1", "TLSv1.1"),
    TLS_1_2("1.2", "TLSv1.2"),
    TLS_1_3("1.3", "TLSv1.3");

    private final String number;
    private final String protocolName;

    TlsVersion(String number, String protocolName) {
        this.number = number;
        this.protocolName = protocolName;
    }

    /** SendGrid's default minimum. */
    public static final TlsVersion DEFAULT = TLS_1_1;

    /** The number as written on the wire, e.g. {@code 1.2}. */
    @JsonValue
    public BigDecimal number() {
        return new BigDecimal(number);
    }

    /** The JSSE protocol name, e.g. {@code TLSv1.2}. */
    public String protocolName() {
        return protocolName;
    }

    /** Accepts "1.2", "1.20" and the number 1.2 alike; anything else is empty. */
    public static Optional<TlsVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (TlsVersion v : values()) {
            if (v.number().compareTo(value) == 0) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static TlsVersion fromJson(Object value) {
        return parse(value == null ? null : value.toString())
                .orElseThrow(() -> new IllegalArgumentException("unknown TLS version " + value));
    }

    @Override
    public String toString() {
        return number;
    }
}
