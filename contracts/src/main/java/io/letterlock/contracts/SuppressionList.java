package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an account's suppression lists, as SendGrid keeps them: {@code bounces}, {@code blocks},
 * {@code invalid_emails}, {@code spam_reports}, {@code global_unsubscribes}, or the unsubscribes of
 * one unsubscribe group, {@code group:<id>}. The wire name is the middle part of a
 * {@link Topics#suppressionKey suppression key}.
 *
 * @param groupId the unsubscribe group's id (positive) for {@link Kind#GROUP_UNSUBSCRIBES}; null otherwise
 */
public record SuppressionList(Kind kind, Integer groupId) {

    public static final SuppressionList BOUNCES = new SuppressionList(Kind.BOUNCES, null);
    public static final SuppressionList BLOCKS = new SuppressionList(Kind.BLOCKS, null);
    public static final SuppressionList INVALID_EMAILS = new SuppressionList(Kind.INVALID_EMAILS, null);
    public static final SuppressionList SPAM_REPORTS = new SuppressionList(Kind.SPAM_REPORTS, null);
    public static final SuppressionList GLOBAL_UNSUBSCRIBES = new SuppressionList(Kind.GLOBAL_UNSUBSCRIBES, null);

    private static final String GROUP_PREFIX = "group:";

    /** The kinds of list; every kind but {@link #GROUP_UNSUBSCRIBES} is one list per account. */
    public enum Kind {
        BOUNCES,
        BLOCKS,
        INVALID_EMAILS,
        SPAM_REPORTS,
        GLOBAL_UNSUBSCRIBES,
        GROUP_UNSUBSCRIBES
    }

    public SuppressionList {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.GROUP_UNSUBSCRIBES) != (groupId != null)) {
            throw new IllegalArgumentException("a group id belongs to group unsubscribes, and only there");
        }
        if (groupId != null && groupId <= 0) {
            throw new IllegalArgumentException("a group id is positive: " + groupId);
        }
    }

    /** The unsubscribes of one unsubscribe group ({@code asm.group_id}). */
    public static SuppressionList group(int groupId) {
        return new SuppressionList(Kind.GROUP_UNSUBSCRIBES, groupId);
    }

    /** {@code bounces}, …, {@code global_unsubscribes}, or {@code group:<id>}. */
    @JsonValue
    public String wireName() {
        return kind == Kind.GROUP_UNSUBSCRIBES ? GROUP_PREFIX + groupId : kind.name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SuppressionList> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith(GROUP_PREFIX)) {
            String digits = text.substring(GROUP_PREFIX.length());
            if (!digits.matches("[1-9][0-9]{0,9}")) {
                return Optional.empty();
            }
            long id = Long.parseLong(digits);
            return id <= Integer.MAX_VALUE ? Optional.of(group((int) id)) : Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind != Kind.GROUP_UNSUBSCRIBES && kind.name().toLowerCase(Locale.ROOT).equals(text)) {
                return Optional.of(new SuppressionList(kind, null));
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static SuppressionList fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown suppression list " + text));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
