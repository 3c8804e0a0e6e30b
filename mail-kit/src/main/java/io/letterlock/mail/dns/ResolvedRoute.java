package io.letterlock.mail.dns;

/** A route with how long it may be cached (0 = not at all), as a lookup produced it. */
record ResolvedRoute(Route route, long ttlSeconds) {
}
