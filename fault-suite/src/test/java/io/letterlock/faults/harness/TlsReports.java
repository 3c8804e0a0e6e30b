package io.letterlock.faults.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;
import io.letterlock.testkit.http.ReceivedHttpRequest;
import io.letterlock.testkit.smtp.ReceivedMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * SMTP TLS reports (RFC 8460) as a collector receives them, read back: the JSON of an https
 * submission (§5.3.1, {@code application/tlsrpt+gzip}) or of a report mail's attachment (§5.3.2,
 * a {@code multipart/report; report-type=tlsrpt}), and what a report counts.
 */
public final class TlsReports {

    public static final String GZIP_MEDIA_TYPE = "application/tlsrpt+gzip";

    private TlsReports() {
    }

    /**
     * A report as it was received, whichever way.
     *
     * @param via   {@code https} or {@code mailto}
     * @param where the path it was POSTed to, or the mailbox it was delivered to
     */
    public record Received(String via, String where, JsonNode report, Optional<String> contentType) {

        public String policyDomain() {
            return report.path("policies").path(0).path("policy").path("policy-domain").asText("");
        }

        /** The UTC day it covers, {@code YYYY-MM-DD}. */
        public String day() {
            String start = report.path("date-range").path("start-datetime").asText("");
            return start.length() >= 10 ? start.substring(0, 10) : start;
        }
    }

    /** An https submission: the gunzipped body, and the Content-Type it was sent with. */
    public static Received ofPost(ReceivedHttpRequest request) {
        return new Received("https", request.target(), readJson(gunzip(request.body())), request.header("Content-Type"));
    }

    /**
     * A report mail: the {@value #GZIP_MEDIA_TYPE} part of a {@code multipart/report; report-type=tlsrpt}
     * message, gunzipped; empty when the message is not one.
     */
    public static Optional<Received> ofMail(ReceivedMessage message) {
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(message.data()));
            ContentType type = new ContentType(mime.getContentType());
            if (!type.match("multipart/report") || !"tlsrpt".equalsIgnoreCase(type.getParameter("report-type"))) {
                return Optional.empty();
            }
            MimeMultipart parts = (MimeMultipart) mime.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (new ContentType(part.getContentType()).match(GZIP_MEDIA_TYPE)) {
                    try (InputStream decoded = part.getInputStream()) { // base64 undone
                        return Optional.of(new Received("mailto", String.join(",", message.recipients()),
                                readJson(gunzip(decoded.readAllBytes())),
                                Optional.of(part.getContentType())));
                    }
                }
            }
            return Optional.empty();
        } catch (MessagingException e) {
            throw new IllegalStateException("not a MIME message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a report (or a preview of one) counts: {@code "<policy-type> <result-type>"} → sessions,
     * over all its policies; successful sessions under {@code "<policy-type> success"}. A summary
     * whose failure count is not the sum of its failure details shows as
     * {@code "<policy-type> failures-not-in-details"}, so a comparison with what was sent catches it.
     */
    public static Map<String, Integer> tally(JsonNode report) {
        Map<String, Integer> tally = new TreeMap<>();
        for (JsonNode policy : report.path("policies")) {
            String type = policy.path("policy").path("policy-type").asText("?");
            int successful = policy.path("summary").path("total-successful-session-count").asInt();
            int failed = policy.path("summary").path("total-failure-session-count").asInt();
            if (successful > 0) {
                tally.merge(type + " success", successful, Integer::sum);
            }
            int detailed = 0;
            for (JsonNode detail : policy.path("failure-details")) {
                int count = detail.path("failed-session-count").asInt();
                detailed += count;
                tally.merge(type + " " + detail.path("result-type").asText("?"), count, Integer::sum);
            }
            if (detailed != failed) {
                tally.merge(type + " failures-not-in-details", failed - detailed, Integer::sum);
            }
        }
        return tally;
    }

    /** Adds {@code more} into {@code sum}. */
    public static void add(Map<String, Integer> sum, Map<String, Integer> more) {
        more.forEach((key, count) -> sum.merge(key, count, Integer::sum));
    }

    public static JsonNode readJson(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("not gzip: " + e.getMessage(), e);
        }
    }
}
