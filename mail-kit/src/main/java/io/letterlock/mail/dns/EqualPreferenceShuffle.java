package io.letterlock.mail.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Orders mail exchangers by preference, lowest first, in random order among equals: RFC 5321 §5.1
 * says the sender "MUST randomize them to spread the load across multiple mail exchangers".
 */
final class EqualPreferenceShuffle {

    private EqualPreferenceShuffle() {
    }

    /** A sorted copy of {@code items}; the order within each preference comes from {@code random}. */
    static <T> List<T> apply(List<T> items, ToIntFunction<T> preference, Random random) {
        List<T> ordered = new ArrayList<>(items);
        ordered.sort(Comparator.comparingInt(preference));
        int start = 0;
        while (start < ordered.size()) {
            int end = start + 1;
            int value = preference.applyAsInt(ordered.get(start));
            while (end < ordered.size() && preference.applyAsInt(ordered.get(end)) == value) {
                end++;
            }
            Collections.shuffle(ordered.subList(start, end), random);
            start = end;
        }
        return ordered;
    }
}
