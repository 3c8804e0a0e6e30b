package io.letterlock.service;

import io.letterlock.contracts.Topic;
import io.letterlock.contracts.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Topic names as configured, one per topic of the catalogue ({@link Topic}); the defaults are the
 * contract names in {@link Topics}. Overriding them lets tests keep apart and lets several
 * installations share one Kafka cluster.
 */
@ConfigMapping(prefix = "letterlock.topics")
public interface TopicNames {

    @WithDefault(Topics.TLS_SETTINGS)
    String tlsSettings();

    @WithDefault(Topics.DOMAIN_POLICIES)
    String domainPolicies();

    @WithDefault(Topics.SUPPRESSIONS)
    String suppressions();

    @WithDefault(Topics.UNSUBSCRIBE_GROUPS)
    String unsubscribeGroups();

    @WithDefault(Topics.SEND_JOBS)
    String sendJobs();

    @WithDefault(Topics.SEND_JOBS_RETRY)
    String sendJobsRetry();

    @WithDefault(Topics.SEND_JOBS_DLQ)
    String sendJobsDlq();

    @WithDefault(Topics.MAIL_CONTENT)
    String mailContent();

    @WithDefault(Topics.EVENTS)
    String events();

    @WithDefault(Topics.WEBHOOKS)
    String webhooks();

    @WithDefault(Topics.WEBHOOKS_RETRY)
    String webhooksRetry();

    @WithDefault(Topics.MTA_STS_POLICIES)
    String mtaStsPolicies();

    @WithDefault(Topics.TLS_SESSIONS)
    String tlsSessions();

    @WithDefault(Topics.TLS_REPORTS)
    String tlsReports();

    @WithDefault(Topics.MAIL_BATCHES)
    String mailBatches();

    /** The configured name of a topic of the catalogue. */
    default String name(Topic topic) {
        return switch (topic) {
            case TLS_SETTINGS -> tlsSettings();
            case DOMAIN_POLICIES -> domainPolicies();
            case SUPPRESSIONS -> suppressions();
            case UNSUBSCRIBE_GROUPS -> unsubscribeGroups();
            case SEND_JOBS -> sendJobs();
            case SEND_JOBS_RETRY -> sendJobsRetry();
            case SEND_JOBS_DLQ -> sendJobsDlq();
            case MAIL_CONTENT -> mailContent();
            case EVENTS -> events();
            case WEBHOOKS -> webhooks();
            case WEBHOOKS_RETRY -> webhooksRetry();
            case MTA_STS_POLICIES -> mtaStsPolicies();
            case TLS_SESSIONS -> tlsSessions();
            case TLS_REPORTS -> tlsReports();
            case MAIL_BATCHES -> mailBatches();
        };
    }
}
