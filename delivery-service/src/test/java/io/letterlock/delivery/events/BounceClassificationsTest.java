package io.letterlock.delivery.events;

import io.letterlock.contracts.BounceClassification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of {@link BounceClassifications}, with replies as real servers word them. */
class BounceClassificationsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            5.1.1  | 550 5.1.1 The email account that you tried to reach does not exist          | Invalid Address
            5.1.2  | 550 5.1.2 bad destination system address                                   | Invalid Address
            5.1.10 | 556 5.1.10 Recipient address has null MX                                   | Invalid Address
            5.1.8  | 553 5.1.8 Sender address rejected: Domain not found                        | Unclassified
            5.2.1  | 550 5.2.1 The email account that you tried to reach is disabled             | Mailbox Unavailable
            4.2.2  | 452 4.2.2 The email account that you tried to reach is over quota           | Mailbox Unavailable
            5.2.3  | 552 5.2.3 Message size exceeds fixed maximum message size                   | Content
            5.3.4  | 552 5.3.4 Message too big for system                                        | Content
            5.6.0  | 550 5.6.0 Content conversion not allowed                                    | Content
            5.7.1  | 550 5.7.1 Message rejected as spam                                          | Content
            5.7.1  | 550 5.7.1 Service unavailable; client host blocked using Spamhaus           | Reputation
            5.7.1  | 550 5.7.1 Delivery not authorized                                           | Reputation
            5.7.0  | 554 5.7.0 Your IP is listed on a blocklist                                  | Reputation
            4.7.0  | 421 4.7.0 Try again later, closing connection. (rate limited)               | Frequency or Volume Too High
            4.7.28 | 421 4.7.28 Our system has detected an unusual rate of unsolicited mail       | Frequency or Volume Too High
            5.7.28 | 550 5.7.28 flooding                                                         | Frequency or Volume Too High
            5.7.4  | 500 TLS required but not supported                                          | Technical Failure
            5.7.30 | 550 5.7.30 REQUIRETLS support required: STARTTLS not offered                | Technical Failure
            5.7.26 | 550 5.7.26 Unauthenticated email is not accepted from this domain (DMARC)   | Technical Failure
            5.4.4  | 550 5.4.4 mx.example.com[10.0.0.5]: private address, refused                 | Technical Failure
            5.4.7  | message expired undelivered                                                 | Technical Failure
            5.5.2  | 500 5.5.2 Syntax error                                                      | Technical Failure
            null   | 550 no enhanced code at all                                                 | Unclassified
            5.9.9  | 550 5.9.9 something new                                                     | Unclassified
            """)
    void classifiesAsTheTableSays(String status, String reason, String expected) {
        assertThat(BounceClassifications.of(status, reason).wireName()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'5.1.1 '", "' 5.1.1'"})
    void surroundingSpaceIsNoObstacle(String status) {
        assertThat(BounceClassifications.of(status, "")).isEqualTo(BounceClassification.INVALID_ADDRESS);
    }
}
