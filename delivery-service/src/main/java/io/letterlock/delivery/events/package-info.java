/**
 * The events delivery writes to the events topic: one per way an attempt ends, the final bounce of
 * an expired job, and the dropped event of a malformed one.
 */
package io.letterlock.delivery.events;
