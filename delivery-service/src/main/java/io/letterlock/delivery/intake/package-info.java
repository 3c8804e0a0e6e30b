/**
 * {@code POST /v3/mail/send}: a request read and validated ({@code api}), split into one job per
 * recipient ({@code service}), held to the account's limits ({@code limit}) and written with its
 * processed events in one Kafka transaction ({@code kafka}); its settings are in {@code config}.
 */
package io.letterlock.delivery.intake;
