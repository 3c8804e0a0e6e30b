package io.letterlock.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figure the alternating pairs are summed up by. */
class SystemThroughputMedianTest {

    @Test
    void theMiddleRatioOfAnOddNumberAndTheMeanOfTheMiddleTwoOfAnEvenOne() {
        assertThat(SystemThroughputBenchmark.median(List.of(3.3, 2.7, 3.0))).isEqualTo(3.0);
        assertThat(SystemThroughputBenchmark.median(List.of(3.4, 2.6, 3.2, 2.8))).isCloseTo(3.0, within(1e-9));
        assertThat(SystemThroughputBenchmark.median(List.of(2.5))).isEqualTo(2.5);
    }
}
