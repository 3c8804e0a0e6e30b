/**
 * One delivery attempt of one message: route the recipient domain, try its MX hosts over SMTP with
 * STARTTLS as the TLS policy demands, reuse idle sessions, and say how the attempt ended.
 */
package io.letterlock.delivery.attempt;
