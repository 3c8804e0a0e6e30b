/**
 * The sender's TLS policy as this worker sees it: views of the settings topics policy-service writes,
 * the lookup of one message's policy (failing closed), and the readiness check of the views.
 */
package io.letterlock.delivery.policy;
