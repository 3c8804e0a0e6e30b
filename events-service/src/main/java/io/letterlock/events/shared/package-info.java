/**
 * Small building blocks of events-service that belong to no one job: the per-account rate limit
 * (webhook tests and settings changes, TLS probes), the 429 with Retry-After any resource may
 * answer. Caches bounded in entries and time are Caffeine's, built where they are used. One package
 * rather than one per kind ({@code limit}, an {@code api} of mappers): each is a
 * class or two, none speaks any job's language, and everything else in the service sits under
 * the job it does; a class used by one job only, in that job's words, goes to that job instead.
 */
package io.letterlock.events.shared;
