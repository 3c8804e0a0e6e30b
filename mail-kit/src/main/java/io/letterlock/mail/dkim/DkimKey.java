package io.letterlock.mail.dkim;

import io.letterlock.contracts.FileReadFailures;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one signing domain signs with: {@code d=}, {@code s=} and the RSA private key whose public
 * half is published at {@code <selector>._domainkey.<domain>}.
 *
 * @param domain   the signing domain ({@code d=}), lower case, A-labels
 * @param selector the selector ({@code s=})
 * @param key      an RSA private key of at least 1024 bits (RFC 8301 §3.2; 2048 recommended)
 */
public record DkimKey(String domain, String selector, RSAPrivateKey key) {

    /** RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits. */
    public static final int MIN_RSA_BITS = 1024;

    private static final Pattern LABELS = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA )?PRIVATE KEY-----");
    /**
     * The DER prefix that wraps a PKCS#1 RSAPrivateKey (what {@code opendkim-genkey} and older
     * {@code openssl genrsa} write) into a PKCS#8 PrivateKeyInfo, up to the octet string's length.
     */
    private static final byte[] PKCS8_RSA_ALGORITHM = {
            0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};

    public DkimKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(key, "key");
        domain = domain.toLowerCase(Locale.ROOT);
        if (!LABELS.matcher(domain).matches()) {
            throw new IllegalArgumentException("DKIM signing domain is not a domain name: " + domain);
        }
        if (!LABELS.matcher(selector.toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("DKIM selector is not one or more DNS labels: " + selector);
        }
        if (key.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("DKIM key for " + domain + " has " + key.getModulus().bitLength()
                    + " bits; RFC 8301 requires at least " + MIN_RSA_BITS + " (2048 recommended)");
        }
    }

    /**
     * Reads an unencrypted RSA private key in PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}).
     *
     * @throws IllegalArgumentException when the file holds no such key; the message names the file,
     *                                  never the key
     */
    public static DkimKey load(String domain, String selector, Path pemFile) {
        String text;
        try {
            text = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the DKIM key file " + pemFile + ": " + FileReadFailures.reason(e),
                    e);
        }
        return new DkimKey(domain, selector, parsePem(text, pemFile.toString()));
    }

    /** @param where names the key's source in error messages */
    public static RSAPrivateKey parsePem(String text, String where) {
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw new IllegalArgumentException(where + " holds no unencrypted RSA private key in PEM "
                    + "(BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            byte[] pkcs8 = pem.group(1) != null ? wrapPkcs1(der) : der;
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return (RSAPrivateKey) key;
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(where + " holds no readable RSA private key", e);
        }
    }

    /**
     * The public key record to publish at {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.1),
     * with the service types of {@code services} ({@code s=}, e.g. {@code email:tlsrpt}; RFC 8460 §3).
     */
    public String publicKeyRecord(String services) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalStateException("the public key cannot be derived from this private key");
        }
        try {
            byte[] spki = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent())).getEncoded();
            return "v=DKIM1; k=rsa; s=" + services + "; p=" + Base64.getEncoder().encodeToString(spki);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        // Never the key: this record may end up in a log line.
        return "DkimKey[d=" + domain + ", s=" + selector + ", rsa " + key.getModulus().bitLength() + " bits]";
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octets = concat(new byte[]{0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(PKCS8_RSA_ALGORITHM, octets);
        return concat(new byte[]{0x30}, length(body.length), body);
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[]{(byte) length};
        }
        byte[] digits = BigInteger.valueOf(length).toByteArray();
        int start = digits[0] == 0 ? 1 : 0;
        byte[] encoded = new byte[digits.length - start + 1];
        encoded[0] = (byte) (0x80 | (digits.length - start));
        System.arraycopy(digits, start, encoded, 1, digits.length - start);
        return encoded;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
