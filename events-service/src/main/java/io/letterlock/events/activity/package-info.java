/**
 * The Email Activity API, {@code GET /v3/messages} and {@code GET /v3/messages/{msg_id}}: each
 * message's events and status, kept per message and per account in the {@code views} stores and
 * queried in SendGrid's Email Activity style.
 */
package io.letterlock.events.activity;
