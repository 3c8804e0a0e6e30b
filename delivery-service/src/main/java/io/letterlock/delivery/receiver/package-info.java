/**
 * What receiving domains ask of delivery beyond the sender's policy: DANE and MTA-STS, built once
 * from {@code letterlock.dane.*} and {@code letterlock.mta-sts.*}.
 */
package io.letterlock.delivery.receiver;
