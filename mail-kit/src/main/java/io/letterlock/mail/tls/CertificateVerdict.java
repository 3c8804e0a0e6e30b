package io.letterlock.mail.tls;

import java.util.Optional;

/**
 * What verifying a server's certificate showed. Recorded for every TLS connection, whether or not
 * the sender's policy needs a valid certificate, so that every event can say {@code cert_err}.
 *
 * @param problem empty when the certificate verified
 * @param reason  for events and logs, e.g. {@code certificate name does not match mx.example.com};
 *                empty when valid
 */
public record CertificateVerdict(Optional<CertificateProblem> problem, Optional<String> reason) {

    private static final CertificateVerdict VALID = new CertificateVerdict(Optional.empty(), Optional.empty());

    public static CertificateVerdict valid() {
        return VALID;
    }

    public static CertificateVerdict bad(CertificateProblem problem, String reason) {
        return new CertificateVerdict(Optional.of(problem), Optional.of(reason));
    }

    public static CertificateVerdict bad(CertificateProblem problem) {
        return bad(problem, problem.description());
    }

    public boolean isValid() {
        return problem.isEmpty();
    }
}
