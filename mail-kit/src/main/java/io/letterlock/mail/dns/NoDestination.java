package io.letterlock.mail.dns;

/**
 * Why mail to a domain goes nowhere, worded as delivery reports it: a route that is not
 * {@link Route.Destinations}. Delivery's bounce and deferral and the TLS check's verdicts use this
 * one wording, so the check says what a delivery attempt would say.
 *
 * @param reason    the reply text, e.g. {@code 550 5.1.2 example.com does not exist}
 * @param status    the enhanced status code (RFC 3463)
 * @param temporary true when the sender should retry later (DNS could not answer now)
 */
public record NoDestination(String reason, String status, boolean temporary) {

    public static NoDestination of(String domain, Route route) {
        if (route instanceof Route.NullMx) {
            // RFC 7505 §4: reply code 556, enhanced status 5.1.10.
            return new NoDestination("556 5.1.10 " + domain + " accepts no mail (null MX)", "5.1.10", false);
        }
        if (route instanceof Route.NoSuchDomain) {
            return new NoDestination("550 5.1.2 " + domain + " does not exist", "5.1.2", false);
        }
        if (route instanceof Route.NoMailExchanger none) {
            return new NoDestination("550 5.1.2 " + none.reason(), "5.1.2", false);
        }
        if (route instanceof Route.TemporaryFailure failure) {
            return new NoDestination("DNS lookup of " + domain + " failed: " + failure.reason(), "4.4.3", true);
        }
        throw new IllegalArgumentException("a route with destinations has somewhere to go: " + route);
    }
}
