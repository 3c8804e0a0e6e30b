package io.letterlock.events.activity.store;

import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A {@code query} of {@code GET /v3/messages}, in SendGrid's Email Activity style: conditions
 * joined with AND.
 * <pre>
 * to_email="a@b.com" AND status="delivered"
 * to_domain="b.com" AND last_event_time BETWEEN TIMESTAMP "2026-11-01T00:00:00Z" AND TIMESTAMP "2026-11-30T00:00:00Z"
 * msg_id="…"   last_event_time &gt; TIMESTAMP "…"   (also &lt;, &gt;=, &lt;=)
 * </pre>
 * Anything else is a 400 that names the token and its position (1-based).
 */
public final class MessageQuery {

    private static final MessageQuery ALL = new MessageQuery(List.of(), List.of());
    private static final String FIELDS = "to_email, to_domain, status, msg_id, last_event_time";

    private final List<Predicate<MessageSummary>> conditions;
    /** Conditions that, once false, stay false for every older message: the scan may stop. */
    private final List<Predicate<MessageSummary>> lowerBounds;

    private MessageQuery(List<Predicate<MessageSummary>> conditions, List<Predicate<MessageSummary>> lowerBounds) {
        this.conditions = conditions;
        this.lowerBounds = lowerBounds;
    }

    public static MessageQuery parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        return new Parser(text).query();
    }

    public boolean matches(MessageSummary summary) {
        return conditions.stream().allMatch(c -> c.test(summary));
    }

    /** True when this message, and so every older one, is before the query's time range. */
    public boolean olderThanRange(MessageSummary summary) {
        return lowerBounds.stream().anyMatch(c -> !c.test(summary));
    }

    private record Token(String text, int position, boolean quoted) {
        boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final int end;
        private int next;
        private final List<Predicate<MessageSummary>> conditions = new ArrayList<>();
        private final List<Predicate<MessageSummary>> lowerBounds = new ArrayList<>();

        Parser(String text) {
            this.tokens = tokenize(text);
            this.end = text.length() + 1;
        }

        MessageQuery query() {
            condition();
            while (next < tokens.size()) {
                Token and = take("AND");
                if (!and.is("AND")) {
                    throw error(and, "expected AND between conditions");
                }
                condition();
            }
            return new MessageQuery(List.copyOf(conditions), List.copyOf(lowerBounds));
        }

        private void condition() {
            Token field = take("a field (" + FIELDS + ")");
            if (field.quoted()) {
                throw error(field, "expected a field (" + FIELDS + ")");
            }
            switch (field.text().toLowerCase(Locale.ROOT)) {
                case "to_email" -> {
                    String email = equalsString();
                    conditions.add(s -> s.toEmail() != null && s.toEmail().equalsIgnoreCase(email));
                }
                case "to_domain" -> {
                    String domain = equalsString().toLowerCase(Locale.ROOT);
                    conditions.add(s -> s.toDomain().equals(domain));
                }
                case "msg_id" -> {
                    String msgId = equalsString();
                    conditions.add(s -> s.msgId().equals(msgId));
                }
                case "status" -> {
                    int at = next;
                    String value = equalsString();
                    MessageStatus status = MessageStatus.parse(value).orElseThrow(() -> error(tokens.get(at + 1),
                            "status must be one of " + Arrays.stream(MessageStatus.values())
                                    .map(MessageStatus::wireName).collect(Collectors.joining(", "))));
                    conditions.add(s -> s.status() == status);
                }
                case "last_event_time" -> timeCondition();
                default -> throw error(field, "unknown field; use " + FIELDS);
            }
        }

        private void timeCondition() {
            Token operator = take("BETWEEN, =, <, <=, > or >=");
            if (operator.is("BETWEEN")) {
                long from = timestamp();
                Token and = take("AND");
                if (!and.is("AND")) {
                    throw error(and, "expected AND in BETWEEN … AND …");
                }
                long to = timestamp();
                addTime(t -> t >= from, true);
                addTime(t -> t <= to, false);
                return;
            }
            String op = operator.quoted() ? "" : operator.text();
            long at = switch (op) {
                case "=", "<", "<=", ">", ">=" -> timestamp();
                default -> throw error(operator, "expected BETWEEN, =, <, <=, > or >= after last_event_time");
            };
            switch (op) {
                case "=" -> {
                    addTime(t -> t >= at, true);
                    addTime(t -> t <= at, false);
                }
                case "<" -> addTime(t -> t < at, false);
                case "<=" -> addTime(t -> t <= at, false);
                case ">" -> addTime(t -> t > at, true);
                default -> addTime(t -> t >= at, true);
            }
        }

        private void addTime(LongPredicate millis, boolean lowerBound) {
            Predicate<MessageSummary> condition = s -> millis.test(s.lastEventTime() * 1000);
            conditions.add(condition);
            if (lowerBound) {
                lowerBounds.add(condition);
            }
        }

        /** {@code TIMESTAMP "2026-11-01T00:00:00Z"} as epoch milliseconds. */
        private long timestamp() {
            Token keyword = take("TIMESTAMP");
            if (!keyword.is("TIMESTAMP")) {
                throw error(keyword, "expected TIMESTAMP \"<ISO-8601 instant>\"");
            }
            Token value = take("a quoted ISO-8601 instant");
            if (!value.quoted()) {
                throw error(value, "expected a quoted ISO-8601 instant, e.g. \"2026-11-01T00:00:00Z\"");
            }
            try {
                return Instant.parse(value.text()).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(value.text()).toInstant().toEpochMilli();
                } catch (DateTimeParseException again) {
                    throw error(value, "not an ISO-8601 instant, e.g. \"2026-11-01T00:00:00Z\"");
                }
            }
        }

        private String equalsString() {
            Token operator = take("=");
            if (operator.quoted() || !operator.text().equals("=")) {
                throw error(operator, "expected =");
            }
            Token value = take("a quoted value");
            if (!value.quoted()) {
                throw error(value, "expected a quoted value, e.g. \"delivered\"");
            }
            return value.text();
        }

        private Token take(String expected) {
            if (next >= tokens.size()) {
                throw ApiException.badRequest("query", "query ends at position " + end + " where " + expected
                        + " was expected");
            }
            return tokens.get(next++);
        }

        private static ApiException error(Token token, String message) {
            return ApiException.badRequest("query", message + " (at position " + token.position() + ": "
                    + (token.quoted() ? "\"" + token.text() + "\"" : token.text()) + ")");
        }

        private static boolean endsBareWord(char c) {
            return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '=';
        }

        private static List<Token> tokenize(String text) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '\'') {
                    int close = text.indexOf(c, i + 1);
                    if (close < 0) {
                        throw ApiException.badRequest("query", "unterminated string starting at position " + (i + 1));
                    }
                    tokens.add(new Token(text.substring(i + 1, close), i + 1, true));
                    i = close + 1;
                } else if (c == '<' || c == '>' || c == '=') {
                    int length = (c != '=' && i + 1 < text.length() && text.charAt(i + 1) == '=') ? 2 : 1;
                    tokens.add(new Token(text.substring(i, i + length), i + 1, false));
                    i += length;
                } else {
                    // A bare word runs to the next space, quote or operator, so that an unquoted value
                    // such as a@b.test is one token and the parser can say a quoted value was expected.
                    int start = i;
                    while (i < text.length() && !endsBareWord(text.charAt(i))) {
                        i++;
                    }
                    tokens.add(new Token(text.substring(start, i), start + 1, false));
                }
            }
            if (tokens.isEmpty()) {
                throw ApiException.badRequest("query", "query is empty");
            }
            return tokens;
        }
    }
}
