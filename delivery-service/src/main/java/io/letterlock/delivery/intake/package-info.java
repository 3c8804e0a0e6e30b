/**
 * {@code POST /v3/mail/send}: a request read and validated ({@code api}) into a
 * {@code MailSendRequest}, split into one job per recipient ({@code service}, which holds that
 * request model, so {@code api} depends on {@code service} and never the other way), held to the
 * account's limits ({@code limit}) and written with its processed events in one Kafka transaction
 * ({@code kafka}); its settings are in {@code config}.
 */
package io.letterlock.delivery.intake;
