package io.letterlock.delivery.message;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** A composed message read back by an independent parser (Angus Mail), and its raw lines. */
final class ParsedMessage {

    private ParsedMessage() {
    }

    static MimeMessage parse(ComposedMessage message) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message.bytes()));
        } catch (MessagingException e) {
            throw new AssertionError("composed message does not parse", e);
        }
    }

    static String text(ComposedMessage message) {
        return new String(message.bytes(), StandardCharsets.US_ASCII);
    }

    /** The lines without their CRLF; fails when any line ends otherwise. */
    static List<String> lines(ComposedMessage message) {
        String text = text(message);
        if (!text.endsWith("\r\n")) {
            throw new AssertionError("message does not end with CRLF");
        }
        List<String> lines = Arrays.asList(text.substring(0, text.length() - 2).split("\r\n", -1));
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new AssertionError("bare CR or LF in line: " + line);
            }
        }
        return lines;
    }

    /** The header section's lines, up to the first empty line. */
    static List<String> headerLines(ComposedMessage message) {
        List<String> lines = lines(message);
        return lines.subList(0, lines.indexOf(""));
    }
}
