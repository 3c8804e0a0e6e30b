package io.letterlock.testkit.dkim;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a message's DKIM signatures as a receiver would, with Apache James jDKIM, an
 * implementation independent of Letterlock's signer. Public keys come from {@code records}
 * (the TXT text at {@code <selector>._domainkey.<domain>}), not from DNS.
 */
public final class DkimCheck {

    /**
     * @param signingDomains the {@code d=} of each signature that verified
     * @param failure        why verification failed, when it did
     */
    public record Verdict(List<String> signingDomains, Optional<String> failure) {

        public boolean passed() {
            return failure.isEmpty() && !signingDomains.isEmpty();
        }
    }

    private DkimCheck() {
    }

    /** @param records {@code <selector>._domainkey.<domain>} → its TXT text */
    public static Verdict verify(byte[] message, Map<String, String> records) {
        DKIMVerifier verifier = new DKIMVerifier((method, selector, token) -> {
            String record = records.get(selector + "._domainkey." + token);
            if (record == null) {
                throw new PermFailException("no key record for " + selector + "._domainkey." + token);
            }
            return List.of(record);
        });
        try {
            List<SignatureRecord> verified = verifier.verify(new ByteArrayInputStream(message));
            if (verified == null || verified.isEmpty()) {
                return new Verdict(List.of(), Optional.of("no DKIM-Signature field"));
            }
            return new Verdict(verified.stream().map(record -> record.getDToken().toString()).toList(), Optional.empty());
        } catch (FailException e) {
            return new Verdict(List.of(), Optional.of(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
