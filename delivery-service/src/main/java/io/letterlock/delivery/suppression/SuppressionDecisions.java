package io.letterlock.delivery.suppression;

import io.letterlock.contracts.SuppressionBypass;
import io.letterlock.contracts.SuppressionList;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a message is dropped because its recipient is on a suppression list, and with which of
 * SendGrid's reasons: a pure function of the lists the address is on, the message's unsubscribe
 * group ({@code asm.group_id}) and its {@code mail_settings.bypass_*}, tested as a table
 * ({@code SuppressionDecisionsTest}).
 *
 * <table>
 * <caption>Lists that drop a message, as SendGrid documents them</caption>
 * <tr><th>list</th><th>dropped with reason</th><th>lifted by</th></tr>
 * <tr><td>bounces</td><td>Bounced Address</td><td>bypass_bounce_management, bypass_list_management</td></tr>
 * <tr><td>invalid_emails</td><td>Invalid</td><td>bypass_list_management</td></tr>
 * <tr><td>spam_reports</td><td>Spam Reporting Address</td><td>bypass_spam_management, bypass_list_management</td></tr>
 * <tr><td>group:&lt;the message's asm.group_id&gt;</td><td>Unsubscribed Address</td><td>bypass_list_management
 *     (bypass_unsubscribe_management lifts global unsubscribes only)</td></tr>
 * <tr><td>global_unsubscribes</td><td>Unsubscribed Address</td><td>bypass_unsubscribe_management,
 *     bypass_list_management</td></tr>
 * <tr><td>blocks, another group's unsubscribes</td><td>never dropped</td><td>—</td></tr>
 * </table>
 * Reasons are SendGrid's words for its drops (docs.sendgrid.com/glossary/drops); blocks "do not
 * automatically drop email as it does for the bounce and unsubscribe list"
 * (twilio.com/docs/sendgrid/glossary/blocks). When several lists hold the address the first row
 * that applies names the reason.
 */
public final class SuppressionDecisions {

    public static final String BOUNCED = "Bounced Address";
    public static final String INVALID = "Invalid";
    public static final String SPAM_REPORTING = "Spam Reporting Address";
    public static final String UNSUBSCRIBED = "Unsubscribed Address";

    private SuppressionDecisions() {
    }

    /**
     * The lists that can hold back a message with this unsubscribe group (null: none), in the table's
     * order. A group id below 1 (a producer that ignored the job's schema) has no list to be on.
     */
    public static List<SuppressionList> listsFor(Integer asmGroupId) {
        return asmGroupId == null || asmGroupId < 1
                ? List.of(SuppressionList.BOUNCES, SuppressionList.INVALID_EMAILS, SuppressionList.SPAM_REPORTS,
                        SuppressionList.GLOBAL_UNSUBSCRIBES)
                : List.of(SuppressionList.BOUNCES, SuppressionList.INVALID_EMAILS, SuppressionList.SPAM_REPORTS,
                        SuppressionList.group(asmGroupId), SuppressionList.GLOBAL_UNSUBSCRIBES);
    }

    /**
     * @param listedOn   the lists the recipient is on (any, blocks included)
     * @param asmGroupId the message's unsubscribe group; null when none
     * @param bypass     the message's bypass settings
     * @return SendGrid's reason for dropping the message, or empty to deliver it
     */
    public static Optional<String> dropReason(Set<SuppressionList> listedOn, Integer asmGroupId,
                                              Set<SuppressionBypass> bypass) {
        if (bypass.contains(SuppressionBypass.BYPASS_LIST_MANAGEMENT)) {
            return Optional.empty();
        }
        for (SuppressionList list : listsFor(asmGroupId)) {
            if (listedOn.contains(list) && !liftedBy(list, bypass)) {
                return Optional.of(reason(list));
            }
        }
        return Optional.empty();
    }

    private static boolean liftedBy(SuppressionList list, Set<SuppressionBypass> bypass) {
        return switch (list.kind()) {
            case BOUNCES -> bypass.contains(SuppressionBypass.BYPASS_BOUNCE_MANAGEMENT);
            case SPAM_REPORTS -> bypass.contains(SuppressionBypass.BYPASS_SPAM_MANAGEMENT);
            case GLOBAL_UNSUBSCRIBES -> bypass.contains(SuppressionBypass.BYPASS_UNSUBSCRIBE_MANAGEMENT);
            case INVALID_EMAILS, GROUP_UNSUBSCRIBES, BLOCKS -> false;
        };
    }

    private static String reason(SuppressionList list) {
        return switch (list.kind()) {
            case BOUNCES -> BOUNCED;
            case INVALID_EMAILS -> INVALID;
            case SPAM_REPORTS -> SPAM_REPORTING;
            case GLOBAL_UNSUBSCRIBES, GROUP_UNSUBSCRIBES -> UNSUBSCRIBED;
            case BLOCKS -> throw new IllegalArgumentException("blocks never drop a message");
        };
    }
}
