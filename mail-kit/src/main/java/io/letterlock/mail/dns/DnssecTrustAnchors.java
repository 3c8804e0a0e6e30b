package io.letterlock.mail.dns;

import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trust anchors in-process validation starts from (RFC 4035 §4.4): DS or DNSKEY records in
 * master-file syntax, the form dnsjava's and unbound's anchor files take. By default the IANA root
 * key-signing keys shipped in {@code root-anchors.txt}; an operator's file replaces them (a private
 * DNS tree, a rollover before the next release).
 */
final class DnssecTrustAnchors {

    static final String ROOT_ANCHORS = "root-anchors.txt";

    private DnssecTrustAnchors() {
    }

    /** The anchors' text: the file's when given, else the built-in root anchors. */
    static String text(Optional<Path> file) {
        if (file.isPresent()) {
            try {
                return Files.readString(file.get(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("DNSSEC trust anchor file " + file.get() + ": cannot read: " + e, e);
            }
        }
        try (InputStream in = DnssecTrustAnchors.class.getResourceAsStream(ROOT_ANCHORS)) {
            if (in == null) {
                throw new IllegalStateException(ROOT_ANCHORS + " is missing from mail-kit");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The DS and DNSKEY records of the text; other types are ignored, as dnsjava ignores them.
     *
     * @throws IllegalArgumentException when the text does not parse or holds no anchor: validating
     *                                  without one would call every answer insecure
     */
    static List<Record> parse(String text, String source) {
        List<Record> anchors = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
                Name.root, 0)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                if (record.getType() == Type.DS || record.getType() == Type.DNSKEY) {
                    anchors.add(record);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("DNSSEC trust anchors from " + source + ": " + e.getMessage(), e);
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("DNSSEC trust anchors from " + source + ": no DS or DNSKEY record");
        }
        return anchors;
    }

    static String source(Optional<Path> file) {
        return file.map(Path::toString).orElse("the built-in IANA root anchors");
    }
}
