/**
 * How receiving domains are reached: the settings delivery and the TLS check share. One set of keys,
 * delivery's own names ({@code letterlock.dns.*}, {@code letterlock.routes}, {@code letterlock.smtp.port},
 * {@code letterlock.trust-pem}, {@code letterlock.delivery.allow} and {@code .helo-name},
 * {@code letterlock.dane.dnssec-mode} and {@code .trust-anchor-file}, {@code letterlock.mta-sts.policy-port}),
 * read by delivery-service and events-service alike, so that the check finds, connects to and judges a
 * domain's mail servers as delivery would. What they configure is built by mail-kit from plain values;
 * the receiving domains' DANE and MTA-STS, which both services build alike, by one builder here
 * ({@link io.letterlock.service.reach.ReceiverPolicyBuilder}). A module of its own (service-kit-reach)
 * because it needs mail-kit: service-kit does not, so policy-service, which needs neither, is built
 * without waiting for mail-kit.
 */
package io.letterlock.service.reach;
