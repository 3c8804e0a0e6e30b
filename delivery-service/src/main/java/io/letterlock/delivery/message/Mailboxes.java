package io.letterlock.delivery.message;

import io.letterlock.contracts.DomainNames;
import io.letterlock.contracts.EmailAddress;

import java.net.IDN;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Addresses as a message and an SMTP transaction write them. Jobs keep the address as the sender
 * gave it (the local part is case-sensitive, RFC 5321 §2.4); a Unicode domain becomes its A-label
 * here (RFC 5890), so neither the headers nor the envelope need SMTPUTF8 (RFC 6531) for it.
 */
public final class Mailboxes {

    /** A display name word longer than this is encoded, so that the header can always be folded. */
    private static final int MAX_PLAIN_WORD = 64;
    /**
     * An encoded display name may open its header's first line; its first word leaves room for
     * the longest header name it follows, "Reply-To: ", within RFC 2047 §2's 76 characters.
     */
    private static final int FIRST_ENCODED_WORD = 76 - "Reply-To: ".length();

    private Mailboxes() {
    }

    /**
     * The address with an A-label domain: what {@code MAIL FROM} and {@code RCPT TO} carry, and the
     * addr-spec of a header. The local part is left as it is.
     */
    public static String asciiAddress(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return email;
        }
        return email.substring(0, at + 1) + DomainNames.toAscii(email.substring(at + 1), IDN.ALLOW_UNASSIGNED);
    }

    /**
     * An RFC 5322 §3.4 mailbox: {@code "Display Name" <local@domain>}, or the bare address when there
     * is no name. A name that is not printable ASCII is written as encoded-words (RFC 2047 §5(3)),
     * never inside quotes (§5: an encoded-word in a quoted-string is not decoded).
     */
    public static String headerMailbox(EmailAddress address) {
        String addrSpec = asciiAddress(address.email());
        String name = address.name() == null ? "" : address.name().strip();
        if (name.isEmpty()) {
            return addrSpec;
        }
        return displayName(name) + " <" + addrSpec + ">";
    }

    /** An RFC 5322 §3.4 address-list of the mailboxes, comma separated. */
    public static String addressList(List<EmailAddress> addresses) {
        return addresses.stream().map(Mailboxes::headerMailbox).collect(Collectors.joining(", "));
    }

    private static String displayName(String name) {
        if (EncodedWords.needed(name) || hasLongWord(name)) {
            return EncodedWords.encode(name, FIRST_ENCODED_WORD);
        }
        // RFC 5322 §3.2.4 quoted-string: only the backslash and the double quote need escaping.
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static boolean hasLongWord(String name) {
        for (String word : name.split("[ \t]+")) {
            if (word.length() > MAX_PLAIN_WORD) {
                return true;
            }
        }
        return false;
    }
}
