package io.letterlock.mail.dns;

import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of TXT records, as the mail policies stored in them are read: each record's
 * character-strings joined into one text (RFC 7208 §3.3, which MTA-STS's RFC 8461 §3.1 and
 * TLS-RPT's RFC 8460 §3 follow), byte for byte.
 */
public final class TxtTexts {

    private TxtTexts() {
    }

    /** One text per TXT record, in the answer's order; records of other types are left out. */
    public static List<String> of(List<Record> records) {
        List<String> texts = new ArrayList<>();
        for (Record record : records) {
            if (!(record instanceof TXTRecord txt)) {
                continue;
            }
            // Bytes, not dnsjava's escaped presentation: each byte stays one char.
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (byte[] string : txt.getStringsAsByteArrays()) {
                text.writeBytes(string);
            }
            texts.add(text.toString(StandardCharsets.ISO_8859_1));
        }
        return texts;
    }
}
