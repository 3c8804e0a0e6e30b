/**
 * The MTA-STS policy cache every delivery replica shares, on a compacted topic delivery owns, and the
 * operators' API to see and purge a domain's cached policy.
 */
package io.letterlock.delivery.mtasts;
