/**
 * The compacted topics policy-service owns (TLS settings, domain policies, suppression lists): this replica's
 * views of them, the writer through which replicas take turns per partition, its configuration
 * ({@code letterlock.policy.*}), and the health checks of the views.
 */
package io.letterlock.policy.views;
