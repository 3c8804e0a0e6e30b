/**
 * What receiving domains ask of delivery beyond the sender's policy: DANE and MTA-STS, built once
 * from {@code letterlock.dane.*} and {@code letterlock.mta-sts.*}; how DNSSEC is judged and where
 * policies are fetched from are shared with the TLS check (service-kit's {@code ReachConfig}).
 */
package io.letterlock.delivery.receiver;
