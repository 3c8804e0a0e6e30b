/**
 * How a recipient domain is reached: the MX resolver and its cache, static routes that override DNS,
 * and the SMTP port, built from {@code letterlock.dns.*}, {@code letterlock.routes} and
 * {@code letterlock.smtp.port}.
 */
package io.letterlock.delivery.dns;
