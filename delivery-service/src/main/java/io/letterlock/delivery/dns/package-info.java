/**
 * How a recipient domain is reached: the MX resolver and its cache, static routes that override DNS,
 * and the SMTP port, built from the keys delivery shares with the TLS check (service-kit's
 * {@code ReachConfig}: {@code letterlock.dns.*}, {@code letterlock.routes}, {@code letterlock.smtp.port})
 * and its own route cache ({@code letterlock.dns.cache.*}).
 */
package io.letterlock.delivery.dns;
