package io.letterlock.mail.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Signs a message with DKIM (RFC 6376): {@code rsa-sha256}, {@code c=relaxed/relaxed}, no body
 * length limit ({@code l=}, which RFC 8460 §3 forbids for reports and which lets anyone append to a
 * message), and no timestamp, so that one message always gets the same signature and a retried job
 * sends the same bytes.
 *
 * <p>The signature covers every header field the message has, and the fields of
 * {@link #OVERSIGNED} once more than they appear: an added From, Subject or Content-Type (a second
 * one, or one the message did not have) breaks it (RFC 6376 §8.15).
 */
public final class DkimSigner {

    /** Fields nobody may add to a signed message. */
    public static final List<String> OVERSIGNED = List.of("from", "to", "cc", "subject", "date", "reply-to",
            "message-id", "mime-version", "content-type", "content-transfer-encoding");

    private static final String CRLF = "\r\n";
    private static final int LINE = 76;

    private DkimSigner() {
    }

    /** The message with its DKIM-Signature field first. */
    public static byte[] sign(byte[] message, DkimKey key) {
        byte[] field = signatureField(message, key).getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[field.length + message.length];
        System.arraycopy(field, 0, signed, 0, field.length);
        System.arraycopy(message, 0, signed, field.length, message.length);
        return signed;
    }

    /**
     * The {@code DKIM-Signature} header field for {@code message}, folded, ending in CRLF.
     *
     * @param message an RFC 5322 message with CRLF line ends
     */
    public static String signatureField(byte[] message, DkimKey key) {
        // Latin-1 maps each byte to one char and back, whatever the message holds.
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int blank = text.startsWith(CRLF) ? 0 : text.indexOf(CRLF + CRLF);
        String headerBlock = blank < 0 ? text : text.substring(0, blank == 0 ? 0 : blank + 2);
        String body = blank < 0 ? "" : text.substring(blank == 0 ? 2 : blank + 4);
        List<String> fields = fields(headerBlock);

        List<String> signedNames = new ArrayList<>();
        for (String field : fields) {
            String name = nameOf(field);
            if (!name.equals("dkim-signature")) {
                signedNames.add(name);
            }
        }
        signedNames.addAll(OVERSIGNED);

        String bodyHash = Base64.getEncoder().encodeToString(sha256(RelaxedCanonicalization.body(body)));
        String unsigned = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;" + CRLF
                + "\td=" + key.domain() + "; s=" + key.selector() + ";" + CRLF + "\th=" + foldedNames(signedNames) + ";" + CRLF
                + "\tbh=" + bodyHash + ";" + CRLF + "\tb=";

        StringBuilder signedData = new StringBuilder();
        boolean[] used = new boolean[fields.size()];
        for (String name : signedNames) {
            // RFC 6376 §5.4.2: instances of a repeated name are taken from the bottom up; a name
            // listed more often than it appears stands for nothing (oversigning).
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (!used[i] && nameOf(fields.get(i)).equals(name)) {
                    used[i] = true;
                    signedData.append(RelaxedCanonicalization.header(fields.get(i)));
                    break;
                }
            }
        }
        String ownField = RelaxedCanonicalization.header(unsigned);
        signedData.append(ownField, 0, ownField.length() - CRLF.length());
        return unsigned + folded(rsaSha256(signedData.toString(), key)) + CRLF;
    }

    /** The header block's fields, each with its folding but without its final CRLF. */
    static List<String> fields(String headerBlock) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : headerBlock.split(CRLF)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(CRLF).append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return fields;
    }

    private static String nameOf(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    /** {@code h=}'s names joined by colons, folded after a colon before a line grows past {@value #LINE}. */
    private static String foldedNames(List<String> names) {
        StringBuilder out = new StringBuilder();
        int lineLength = "\th=".length();
        for (int i = 0; i < names.size(); i++) {
            String next = names.get(i) + (i < names.size() - 1 ? ":" : "");
            if (lineLength + next.length() > LINE) {
                out.append(CRLF).append('\t');
                lineLength = 1;
            }
            out.append(next);
            lineLength += next.length();
        }
        return out.toString();
    }

    /** {@code b=}'s base64 over folded lines; whitespace within it is ignored (RFC 6376 §3.5). */
    private static String folded(String base64) {
        StringBuilder out = new StringBuilder();
        int first = LINE - "\tb=".length();
        out.append(base64, 0, Math.min(first, base64.length()));
        for (int at = first; at < base64.length(); at += LINE - 1) {
            out.append(CRLF).append('\t').append(base64, at, Math.min(at + LINE - 1, base64.length()));
        }
        return out.toString();
    }

    private static byte[] sha256(String canonical) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsaSha256(String data, DkimKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.key());
            signature.update(data.getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the DKIM key of " + key.domain(), e);
        }
    }
}
