package io.letterlock.delivery.suppression;

import io.letterlock.contracts.SuppressionBypass;
import io.letterlock.contracts.SuppressionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SuppressionDecisions} as its table: the lists an address is on, the message's group and bypass settings. */
class SuppressionDecisionsTest {

    private static Set<SuppressionList> lists(String names) {
        return names == null ? Set.of() : Arrays.stream(names.split(" "))
                .map(name -> SuppressionList.parse(name).orElseThrow()).collect(Collectors.toSet());
    }

    private static Set<SuppressionBypass> bypass(String names) {
        Set<SuppressionBypass> bypass = EnumSet.noneOf(SuppressionBypass.class);
        if (names != null) {
            Arrays.stream(names.split(" ")).map(name -> SuppressionBypass.parse("bypass_" + name).orElseThrow())
                    .forEach(bypass::add);
        }
        return bypass;
    }

    @ParameterizedTest(name = "on [{0}], group {1}, bypass [{2}] -> {3}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            // listed on                         | asm group | bypass                                | dropped with
            "-                                   | -         | -                                     | -",
            "bounces                             | -         | -                                     | Bounced Address",
            "invalid_emails                      | -         | -                                     | Invalid",
            "spam_reports                        | -         | -                                     | Spam Reporting Address",
            "global_unsubscribes                 | -         | -                                     | Unsubscribed Address",
            "global_unsubscribes                 | 4         | -                                     | Unsubscribed Address",
            "group:4                             | 4         | -                                     | Unsubscribed Address",
            "group:4                             | 5         | -                                     | -",
            "group:4                             | -         | -                                     | -",
            "blocks                              | -         | -                                     | -",
            "blocks                              | 4         | -                                     | -",
            // bypass_list_management lifts every list
            "bounces invalid_emails spam_reports global_unsubscribes group:4 | 4 | list_management     | -",
            // each narrower bypass lifts its own list only
            "bounces                             | -         | bounce_management                     | -",
            "bounces                             | -         | spam_management unsubscribe_management | Bounced Address",
            "spam_reports                        | -         | spam_management                       | -",
            "spam_reports                        | -         | bounce_management                     | Spam Reporting Address",
            "global_unsubscribes                 | -         | unsubscribe_management                | -",
            "global_unsubscribes                 | -         | bounce_management                     | Unsubscribed Address",
            "invalid_emails                      | -         | bounce_management spam_management unsubscribe_management | Invalid",
            // bypass_unsubscribe_management lifts global unsubscribes, not the message's group
            "group:4                             | 4         | unsubscribe_management                | Unsubscribed Address",
            "global_unsubscribes group:4         | 4         | unsubscribe_management                | Unsubscribed Address",
            // several lists: the table's first row that applies names the reason
            "bounces global_unsubscribes         | -         | -                                     | Bounced Address",
            "bounces global_unsubscribes         | -         | bounce_management                     | Unsubscribed Address",
            "spam_reports invalid_emails         | -         | -                                     | Invalid"})
    void dropsAsTheTableSays(String listedOn, Integer group, String bypass, String reason) {
        assertThat(SuppressionDecisions.dropReason(lists(listedOn), group, bypass(bypass)))
                .isEqualTo(Optional.ofNullable(reason));
    }

    @Test
    void theListsCheckedAreTheMessagesGroupsAndNeverBlocks() {
        assertThat(SuppressionDecisions.listsFor(null)).containsExactly(SuppressionList.BOUNCES,
                SuppressionList.INVALID_EMAILS, SuppressionList.SPAM_REPORTS, SuppressionList.GLOBAL_UNSUBSCRIBES);
        assertThat(SuppressionDecisions.listsFor(9)).contains(SuppressionList.group(9))
                .doesNotContain(SuppressionList.BLOCKS, SuppressionList.group(8));
        assertThat(SuppressionDecisions.listsFor(0)).isEqualTo(SuppressionDecisions.listsFor(null));
    }
}
