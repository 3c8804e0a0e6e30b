/**
 * DKIM signatures (RFC 6376) for the messages Letterlock writes: {@link io.letterlock.mail.dkim.DkimKey}
 * (a signing domain's selector and private key, read from PEM) and
 * {@link io.letterlock.mail.dkim.DkimSigner} (relaxed/relaxed canonicalization,
 * {@code rsa-sha256}). Pure: no DNS, no I/O past reading the key file. RFC 8460 §3 needs it, since
 * collectors ignore TLS reports that arrive by mail without a valid signature of the reporting domain.
 */
package io.letterlock.mail.dkim;
