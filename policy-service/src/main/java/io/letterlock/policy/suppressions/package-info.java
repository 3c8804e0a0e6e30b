/**
 * SendGrid's suppression lists of the calling account ({@code /v3/suppression/*},
 * {@code /v3/asm/suppressions/global}, {@code /v3/asm/groups/{group_id}/suppressions}): the
 * resources, their bodies, the store over the {@code letterlock.suppressions} view, and the reader
 * of bounce events that fills the bounces, blocks and invalid emails lists ({@link
 * io.letterlock.policy.suppressions.BounceListing}).
 */
package io.letterlock.policy.suppressions;
