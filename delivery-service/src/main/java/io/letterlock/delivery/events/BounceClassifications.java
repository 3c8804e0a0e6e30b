package io.letterlock.delivery.events;

import io.letterlock.contracts.BounceClassification;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SendGrid's {@code bounce_classification} of a bounce, from its enhanced status code (RFC 3463,
 * the IANA registry of RFC 5248) and, where the code is as broad as {@code 5.7.1}, a few words of
 * the server's reply. A pure function, tested as its table ({@code BounceClassificationsTest}).
 *
 * <table>
 * <caption>Classification by status code</caption>
 * <tr><th>code</th><th>classification</th></tr>
 * <tr><td>x.1.1–x.1.6, x.1.10 (bad mailbox, domain or syntax, moved, null MX)</td><td>Invalid Address</td></tr>
 * <tr><td>x.2.0–x.2.2 (mailbox disabled or full)</td><td>Mailbox Unavailable</td></tr>
 * <tr><td>x.2.3, x.3.4, x.6.* (too big, content conversion)</td><td>Content</td></tr>
 * <tr><td>x.7.28, or a reply speaking of rate, volume or too many</td><td>Frequency or Volume Too High</td></tr>
 * <tr><td>x.7.1 and x.7.0 replies speaking of spam or content</td><td>Content</td></tr>
 * <tr><td>x.7.1 otherwise, x.7.0 speaking of a blocklist or reputation</td><td>Reputation</td></tr>
 * <tr><td>x.3.*, x.4.*, x.5.*, x.7.* otherwise (routing, expiry, protocol, TLS and REQUIRETLS,
 *     authentication)</td><td>Technical Failure</td></tr>
 * <tr><td>no code, or another</td><td>Unclassified</td></tr>
 * </table>
 */
public final class BounceClassifications {

    private static final Pattern STATUS = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern VOLUME = Pattern.compile("\\b(rate|too many|volume|throttl\\w*|frequency)\\b");
    private static final Pattern CONTENT = Pattern.compile("\\b(spam|content|virus|phish\\w*|message refused as)\\b");
    private static final Pattern REPUTATION = Pattern.compile("\\b(block ?list\\w*|black ?list\\w*|reputation|rbl|spamhaus|listed)\\b");

    private BounceClassifications() {
    }

    /**
     * @param status the event's enhanced status code, e.g. {@code 5.1.1}; null when none
     * @param reason the reason the event carries (the server's reply, or Letterlock's words)
     */
    public static BounceClassification of(String status, String reason) {
        Matcher code = STATUS.matcher(status == null ? "" : status.strip());
        if (!code.matches()) {
            return BounceClassification.UNCLASSIFIED;
        }
        int subject = Integer.parseInt(code.group(2));
        int detail = Integer.parseInt(code.group(3));
        String words = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        switch (subject) {
            case 1:
                return detail <= 6 || detail == 10 ? BounceClassification.INVALID_ADDRESS : BounceClassification.UNCLASSIFIED;
            case 2:
                if (detail <= 2) {
                    return BounceClassification.MAILBOX_UNAVAILABLE;
                }
                return detail == 3 ? BounceClassification.CONTENT : BounceClassification.UNCLASSIFIED;
            case 3:
                return detail == 4 ? BounceClassification.CONTENT : BounceClassification.TECHNICAL_FAILURE;
            case 4:
            case 5:
                return BounceClassification.TECHNICAL_FAILURE;
            case 6:
                return BounceClassification.CONTENT;
            case 7:
                return security(detail, words);
            default:
                return BounceClassification.UNCLASSIFIED;
        }
    }

    /** x.7.*: security or policy; only 0 and 1 are broad enough to need the reply's words. */
    private static BounceClassification security(int detail, String words) {
        if (detail == 28 || VOLUME.matcher(words).find()) {
            return BounceClassification.FREQUENCY_OR_VOLUME;
        }
        if ((detail == 0 || detail == 1) && CONTENT.matcher(words).find()) {
            return BounceClassification.CONTENT;
        }
        if (detail == 1 || (detail == 0 && REPUTATION.matcher(words).find())) {
            return BounceClassification.REPUTATION;
        }
        return BounceClassification.TECHNICAL_FAILURE;
    }
}
