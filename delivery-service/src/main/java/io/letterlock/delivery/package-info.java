/**
 * delivery-service: takes SendGrid v3 mail sends ({@code intake}), and delivers each recipient's job
 * over SMTP with STARTTLS under the sender's TLS policy and the receiving domain's (the other jobs:
 * {@code worker}, {@code attempt}, {@code retry}, {@code policy}, {@code receiver}, ...).
 */
package io.letterlock.delivery;
