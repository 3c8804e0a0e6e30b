package io.letterlock.events.tlsrpt.send;

import io.letterlock.events.tlsrpt.report.TlsReportDocument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * One report as it is submitted: the report JSON gzipped, under the file name RFC 8460 §5.1 gives
 * it ({@code <submitter>!<policy-domain>!<begin>!<end>[!<unique-id>].json.gz}, the begin and end
 * being the report's date range in seconds since the epoch). Both submission ways use it: the
 * bytes are the HTTPS POST's body (§5.3) and the mail's attachment, named so (§5.2). Pure.
 */
public final class ReportFile {

    /** RFC 8460 §5.3: the media type of a gzipped report. */
    public static final String GZIP_MEDIA_TYPE = "application/tlsrpt+gzip";

    private final String name;
    private final byte[] gzipped;

    private ReportFile(String name, byte[] gzipped) {
        this.name = name;
        this.gzipped = gzipped;
    }

    /**
     * @param submitter    the reporting domain ({@code letterlock.tls-rpt.submitter})
     * @param policyDomain the domain the report is about
     * @param range        the report's {@code date-range}, whose instants give the name's timestamps
     * @param json         the report document, serialised
     * @param uniqueId     told apart several reports of the same range; letters and digits only (§5.1 ABNF)
     */
    public static ReportFile of(String submitter, String policyDomain, TlsReportDocument.DateRange range, byte[] json,
                                Optional<String> uniqueId) {
        long begin = Instant.parse(range.startDatetime()).getEpochSecond();
        long end = Instant.parse(range.endDatetime()).getEpochSecond();
        uniqueId.ifPresent(ReportFile::checkUniqueId);
        String name = domain(submitter) + "!" + domain(policyDomain) + "!" + begin + "!" + end
                + uniqueId.map(id -> "!" + id).orElse("") + ".json.gz";
        return new ReportFile(name, gzip(json));
    }

    /** A report file as it was made, read back (from letterlock.tls-reports). */
    public static ReportFile read(String name, byte[] gzipped) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || !name.endsWith(".json.gz")) {
            throw new IllegalArgumentException("not a TLS report file name: " + name);
        }
        return new ReportFile(name, gzipped.clone());
    }

    /** The §5.1 file name, e.g. {@code mail.sender.example.com!example.com!1470013207!1470186007!001.json.gz}. */
    public String name() {
        return name;
    }

    /** The gzipped report JSON (a copy). */
    public byte[] gzipped() {
        return gzipped.clone();
    }

    private static String domain(String name) {
        // '!' separates the fields and '/' would make a path of the name: neither is in a domain name.
        if (name.isEmpty() || name.indexOf('!') >= 0 || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a domain name: " + name);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static void checkUniqueId(String id) {
        // RFC 8460 §5.1: unique-id = 1*(ALPHA / DIGIT)
        if (id.isEmpty() || !id.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("a report file's unique-id is letters and digits: " + id);
        }
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "ReportFile[" + name + ", " + gzipped.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReportFile file && file.name.equals(name) && Arrays.equals(file.gzipped, gzipped);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(gzipped);
    }
}
