package io.letterlock.mail.mtasts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8461 §3.1: what a {@code _mta-sts} TXT record set says. */
class MtaStsRecordTest {

    private static MtaStsRecord read(String... records) {
        return MtaStsRecord.fromTxt(List.of(records));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "v=STSv1; id=20160831085700Z;",
            "v=STSv1; id=20160831085700Z",
            "v=STSv1;id=20160831085700Z",
            "v=STSv1 ; id=20160831085700Z ;  ",
            "v=STSv1;\tid=20160831085700Z",
            "v=STSv1; id=20160831085700Z; ext_1=some-value",
            "v=STSv1; x.y-z=1:2/3; id=20160831085700Z",
            "v=STSv1; id=20160831085700Z; id=other"})
    void readsTheIdOfAWellFormedRecord(String record) {
        assertThat(read(record)).isEqualTo(new MtaStsRecord.Present("20160831085700Z"));
    }

    @Test
    void acceptsIdsOfOneToThirtyTwoLettersAndDigits() {
        assertThat(read("v=STSv1; id=a")).isEqualTo(new MtaStsRecord.Present("a"));
        assertThat(read("v=STSv1; id=" + "A1".repeat(16))).isEqualTo(new MtaStsRecord.Present("A1".repeat(16)));
    }

    @Test
    void ignoresRecordsThatDoNotStartWithTheVersion() {
        assertThat(read("v=spf1 -all", "v=STSv1; id=abc", "google-site-verification=xyz"))
                .isEqualTo(new MtaStsRecord.Present("abc"));
    }

    @Test
    void hasNoPolicyWithoutRecords() {
        assertThat(read()).isInstanceOf(MtaStsRecord.Absent.class);
    }

    @Test
    void hasNoPolicyWhenNoRecordStartsWithTheVersion() {
        assertThat(read("v=spf1 -all", "V=STSv1; id=abc", "v=STSv10; id=abc", " v=STSv1; id=abc"))
                .isInstanceOfSatisfying(MtaStsRecord.Absent.class,
                        absent -> assertThat(absent.reason()).contains("no TXT record starts with v=STSv1"));
    }

    @Test
    void hasNoPolicyWhenSeveralRecordsStartWithTheVersion() {
        assertThat(read("v=STSv1; id=one", "v=STSv1; id=two"))
                .isInstanceOfSatisfying(MtaStsRecord.Absent.class,
                        absent -> assertThat(absent.reason()).contains("2 TXT records start with v=STSv1"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "v=STSv1",
            "v=STSv1;",
            "v=STSv1; ",
            "v=STSv1; ext=1",
            "v=STSv1; id=",
            "v=STSv1; id=2016-08-31",
            "v=STSv1; id=with space",
            "v=STSv1; id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
            "v=STSv1;; id=abc",
            "v=STSv1; id=abc; noequals",
            "v=STSv1; id=abc; =value",
            "v=STSv1; id=abc; _ext=1",
            "v=STSv1; id=abc; ext=a=b"})
    void hasNoPolicyWhenTheOneRecordIsMalformed(String record) {
        assertThat(read(record)).isInstanceOfSatisfying(MtaStsRecord.Absent.class,
                absent -> assertThat(absent.reason()).startsWith("malformed v=STSv1 record"));
    }
}
