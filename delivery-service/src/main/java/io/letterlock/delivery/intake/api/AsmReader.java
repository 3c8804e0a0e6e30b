package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;

import java.util.List;

/**
 * SendGrid's {@code asm}: {@code group_id}, the unsubscribe group the message belongs to (required,
 * a positive integer), and {@code groups_to_display}, the groups SendGrid's preference page would
 * offer (at most 25 positive integers). Letterlock hosts no preference page, so the second is
 * only checked; the first makes the group's unsubscribes hold every recipient of the request back.
 */
final class AsmReader {

    static final String ASM = "asm";
    static final String GROUP_ID = "group_id";
    static final String GROUPS_TO_DISPLAY = "groups_to_display";
    /** SendGrid's limit on groups_to_display. */
    static final int MAX_GROUPS_TO_DISPLAY = 25;

    private AsmReader() {
    }

    /** @return the group id, or null when {@code asm} is absent or has a problem (recorded in {@code fields}) */
    static Integer read(JsonNode node, JsonFields fields) {
        return fields.object(node, ASM).map(asm -> {
            fields.refuseUnknown(asm, ASM, List.of(GROUP_ID, GROUPS_TO_DISPLAY));
            String groupPath = JsonFields.path(ASM, GROUP_ID);
            Integer groupId = null;
            if (fields.isAbsent(asm.get(GROUP_ID))) {
                fields.problem(groupPath, groupPath + " is required: the unsubscribe group of the message");
            } else {
                groupId = groupId(asm.get(GROUP_ID), groupPath, fields);
            }
            String displayPath = JsonFields.path(ASM, GROUPS_TO_DISPLAY);
            fields.array(asm.get(GROUPS_TO_DISPLAY), displayPath).ifPresent(groups -> {
                if (groups.size() > MAX_GROUPS_TO_DISPLAY) {
                    fields.problem(displayPath, displayPath + " may name at most " + MAX_GROUPS_TO_DISPLAY + " groups");
                }
                for (int i = 0; i < groups.size(); i++) {
                    groupId(groups.get(i), JsonFields.path(displayPath, i), fields);
                }
            });
            return groupId;
        }).orElse(null);
    }

    private static Integer groupId(JsonNode node, String path, JsonFields fields) {
        if (node.isIntegralNumber() && node.canConvertToInt() && node.intValue() > 0) {
            return node.intValue();
        }
        fields.problem(path, path + " must be a whole number from 1 to " + Integer.MAX_VALUE);
        return null;
    }
}
