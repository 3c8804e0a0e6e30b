/**
 * The RFC 5322 message a job stands for: headers, MIME body and Message-ID, the same bytes on every
 * attempt and every replica.
 */
package io.letterlock.delivery.message;
