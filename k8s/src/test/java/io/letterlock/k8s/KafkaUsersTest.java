package io.letterlock.k8s;

import io.letterlock.contracts.Topic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service authenticates as its own KafkaUser, whose ACLs allow what its code does with Kafka
 * and nothing more. The table below is that code, read (k8s/base/kafka/users.yaml says where):
 * <ul>
 *   <li>Create and DescribeConfigs: service-kit's KafkaTopics.createOwned at start (each service its own topics)
 *       (CreateTopics first, then DescribeConfigs to insist on compaction).</li>
 *   <li>Read + Describe on a group: consumers that subscribe() with a configured group id; the views
 *       of compacted topics assign() and join no group.</li>
 *   <li>Write on transactional id prefixes: delivery-service's TransactionalPublisher, its worker and its
 *       retry scheduler, events-service's webhook retries (both delay queues, service-kit's
 *       DelayQueue), and policy-service's and events-service's writers of their settings topics
 *       (service-kit's FencedViewWriter).</li>
 *   <li>events-service's Kafka Streams: its application id as group, and as prefix of the internal
 *       topics it creates and of its exactly-once producers' transactional ids; Delete on each
 *       repartition topic, which it purges itself (DeleteRecords).</li>
 * </ul>
 */
class KafkaUsersTest {

    private static final Set<String> OWN = ops("Create", "Describe", "DescribeConfigs", "Read", "Write");
    /** Reading a topic another service owns: no Create, so a reader can never create it. */
    private static final Set<String> VIEW = ops("Describe", "Read");
    private static final Set<String> QUEUE = ops("Create", "Describe", "Read", "Write");
    private static final Set<String> PRODUCE = ops("Create", "Describe", "Write");
    private static final Set<String> CONSUME = ops("Describe", "Read");
    /** Writing to another service's topic, which that service creates. */
    private static final Set<String> WRITE_ONLY = ops("Describe", "Write");
    private static final Set<String> GROUP = ops("Describe", "Read");
    /** TransactionalPublisher's default prefix: letterlock-intake-<host>-<pid>. */
    private static final String TRANSACTIONAL_ID_PREFIX = "letterlock-intake-";
    /** FencedViewWriter's ids in policy-service: <letterlock.policy.transactional-id-prefix>-<topic>-<partition>. */
    private static final String POLICY_TRANSACTIONAL_ID_PREFIX = "letterlock-policy-";
    /** FencedViewWriter's ids in events-service: <letterlock.webhook.transactional-id-prefix>-<topic>-<partition>. */
    private static final String WEBHOOK_TRANSACTIONAL_ID_PREFIX = "letterlock-webhooks-";

    /** topic key (letterlock.topics.*) → operations, per service. */
    private static final Map<String, Map<String, Set<String>>> TOPIC_ACLS = Map.of(
            "policy-service", Map.of(
                    "letterlock.topics.tls-settings", OWN,
                    "letterlock.topics.domain-policies", OWN,
                    "letterlock.topics.suppressions", OWN,
                    "letterlock.topics.unsubscribe-groups", OWN,
                    "letterlock.topics.mail-batches", OWN,
                    // Bounce events fill the suppression lists.
                    "letterlock.topics.events", CONSUME),
            "delivery-service", Map.ofEntries(
                    Map.entry("letterlock.topics.tls-settings", VIEW),
                    Map.entry("letterlock.topics.domain-policies", VIEW),
                    Map.entry("letterlock.topics.suppressions", VIEW),
                    Map.entry("letterlock.topics.mail-batches", VIEW),
                    Map.entry("letterlock.topics.send-jobs", QUEUE),
                    Map.entry("letterlock.topics.send-jobs-retry", QUEUE),
                    Map.entry("letterlock.topics.send-jobs-dlq", PRODUCE),
                    Map.entry("letterlock.topics.mail-content", QUEUE),
                    Map.entry("letterlock.topics.events", PRODUCE),
                    Map.entry("letterlock.topics.mta-sts-policies", OWN),
                    Map.entry("letterlock.topics.tls-sessions", PRODUCE)),
            "events-service", Map.of(
                    "letterlock.topics.webhooks", OWN,
                    "letterlock.topics.events", CONSUME,
                    "letterlock.topics.tls-sessions", CONSUME,
                    "letterlock.topics.webhooks-retry", QUEUE,
                    "letterlock.topics.tls-reports", QUEUE,
                    // The send jobs of TLS reports to mailto: targets.
                    "letterlock.topics.send-jobs", WRITE_ONLY));

    /** Keys of the consumer groups each service joins. */
    private static final Map<String, Set<String>> GROUP_KEYS = Map.of(
            "policy-service", Set.of("letterlock.suppressions.consumer-group"),
            "delivery-service", Set.of("letterlock.delivery.consumer-group", "letterlock.retry.scheduler.group-id"),
            "events-service", Set.of("letterlock.webhook.dispatcher.group-id",
                    "letterlock.webhook.retry.scheduler.group-id", "letterlock.tls-rpt.submission.group-id"));

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void aclsAllowExactlyWhatTheServiceDoes(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Map<String, Manifests.EnvValue> env = manifests.environment(service);
        ServiceConfig config = ServiceConfig.of(service);
        Map<String, Set<String>> expected = new TreeMap<>();
        TOPIC_ACLS.get(service).forEach((key, operations) ->
                expected.put("topic " + config.effective(key, env).orElseThrow() + " (literal)", operations));
        for (String groupKey : GROUP_KEYS.get(service)) {
            expected.put("group " + config.effective(groupKey, env).orElseThrow() + " (literal)", GROUP);
        }
        if (service.equals("delivery-service")) {
            expected.put("transactionalId " + TRANSACTIONAL_ID_PREFIX + " (prefix)", ops("Describe", "Write"));
            // The worker's and the retry scheduler's transactional writes.
            expected.put("transactionalId letterlock-delivery- (prefix)", ops("Describe", "Write"));
            expected.put("transactionalId letterlock-retry- (prefix)", ops("Describe", "Write"));
            // The retry scheduler's wait topics, named after the retry topic.
            expected.put("topic " + config.effective("letterlock.topics.send-jobs-retry", env).orElseThrow()
                    + ".wait- (prefix)", QUEUE);
        }
        if (service.equals("policy-service")) {
            expected.put("transactionalId " + POLICY_TRANSACTIONAL_ID_PREFIX + " (prefix)", ops("Describe", "Write"));
        }
        if (service.equals("events-service")) {
            // Kafka Streams: group = application id; internal topics and exactly-once producers' ids <id>-...
            String applicationId = config.effective("letterlock.activity.application-id", env).orElseThrow();
            expected.put("group " + applicationId + " (literal)", GROUP);
            expected.put("topic " + applicationId + "- (prefix)", OWN);
            expected.put("transactionalId " + applicationId + "- (prefix)", ops("Describe", "Write"));
            // The webhook settings writer's turns per partition (FencedViewWriter).
            expected.put("transactionalId " + WEBHOOK_TRANSACTIONAL_ID_PREFIX + " (prefix)", ops("Describe", "Write"));
            // It purges what it consumed of its repartition topics (DeleteRecords): Delete on each.
            for (String repartition : repartitionTopicNames(ServiceConfig.sourceText(service))) {
                expected.put("topic " + applicationId + "-" + repartition + "-repartition (literal)", ops("Delete"));
            }
            // The webhook retries' wait topics, named after the retry topic, and their transactional writes.
            expected.put("topic " + config.effective("letterlock.topics.webhooks-retry", env).orElseThrow()
                    + ".wait- (prefix)", QUEUE);
            expected.put("transactionalId letterlock-webhook-retry- (prefix)", ops("Describe", "Write"));
            // The TLS report sender's wait topics and transactional writes, likewise.
            expected.put("topic " + config.effective("letterlock.topics.tls-reports", env).orElseThrow()
                    + ".wait- (prefix)", QUEUE);
            expected.put("transactionalId letterlock-tls-reports- (prefix)", ops("Describe", "Write"));
        }
        assertThat(acls(manifests.named(KafkaUser.class, service)))
                .as("%s: ACLs of KafkaUser %s", overlay, service).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void onlyTheServiceThatOwnsATopicMayCreateIt(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (Topic topic : Topic.values()) {
            for (String service : Manifests.SERVICES) {
                String name = "topic " + ServiceConfig.of(service).effective("letterlock.topics." + topic.configKey(),
                        manifests.environment(service)).orElseThrow() + " (literal)";
                Set<String> operations = acls(manifests.named(KafkaUser.class, service)).getOrDefault(name, Set.of());
                assertThat(operations.contains("Create")).as("%s: %s may create %s (owner: %s)", overlay, service,
                        topic, topic.owner().folder()).isEqualTo(service.equals(topic.owner().folder()));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void aclTopicsAreTheTopicsTheServiceCodeNames(String overlay, String service) {
        // The services reach their topics through service-kit's TopicNames (`topics.sendJobs()`, ...).
        Set<String> named = new TreeSet<>();
        Matcher call = ServiceConfig.matcher("\\btopics\\.(\\w+)\\(\\)", ServiceConfig.sourceText(service));
        while (call.find()) {
            named.add("letterlock.topics." + ConfigMappingScanner.kebab(call.group(1)));
        }
        // service-kit's SettingsViews reads the two settings topics for whoever builds one.
        if (ServiceConfig.sourceText(service).contains("new SettingsViews(")) {
            named.add("letterlock.topics.tls-settings");
            named.add("letterlock.topics.domain-policies");
        }
        // service-kit's SuppressionView reads the suppression lists for whoever builds one.
        if (ServiceConfig.sourceText(service).contains("new SuppressionView(")) {
            named.add("letterlock.topics.suppressions");
        }
        named.retainAll(ServiceConfig.of(service).keys());
        assertThat(named).as("%s: topics its code uses", service).isEqualTo(TOPIC_ACLS.get(service).keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void transactionalIdsOfTheIntakeFallUnderTheAclPrefix(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String source = ServiceConfig.sourceText("delivery-service");
        // TransactionalWrites.instanceId adds "-<host>-<pid>" to the default prefix.
        assertThat(source).as("TransactionalPublisher's default prefix")
                .contains("DEFAULT_PREFIX = \"" + TRANSACTIONAL_ID_PREFIX.substring(0, TRANSACTIONAL_ID_PREFIX.length() - 1) + "\"");
        ServiceConfig.of("delivery-service")
                .effective("letterlock.intake.transactional-id-prefix", manifests.environment("delivery-service"))
                .ifPresent(prefix -> assertThat(prefix).as("letterlock.intake.transactional-id-prefix").startsWith(TRANSACTIONAL_ID_PREFIX));
        // Every service writes transactionally (delivery: intake, worker, retry scheduler; policy and
        // events: their settings writers), so each needs its transactional id prefixes above.
        for (String service : Manifests.SERVICES) {
            String code = ServiceConfig.sourceText(service);
            boolean transactional = code.contains("TRANSACTIONAL_ID_CONFIG") || code.contains("FencedViewWriter")
                    || code.contains("TransactionalProducers") || code.contains("TransactionalWrites");
            assertThat(transactional).as("%s uses transactional producers", service).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void transactionalIdsOfTheDelayQueuesFallUnderTheirAclPrefixes(String overlay) {
        // TransactionalWrites.instanceId(prefix) names them <prefix>-<host>-<pid>.
        Map<String, String> prefixes = Map.of("delivery-service", "letterlock-retry",
                "events-service", "letterlock-webhook-retry");
        prefixes.forEach((service, prefix) -> {
            assertThat(ServiceConfig.sourceText(service)).as("%s: its delay queue's transactional ids", service)
                    .contains("TransactionalWrites.instanceId(\"" + prefix + "\")");
            assertThat(acls(Manifests.overlay(overlay).named(KafkaUser.class, service)))
                    .as("%s: ACLs of KafkaUser %s", overlay, service)
                    .containsEntry("transactionalId " + prefix + "- (prefix)", ops("Describe", "Write"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void transactionalIdsOfThePolicyWritersFallUnderTheAclPrefix(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String prefix = ServiceConfig.of("policy-service")
                .effective("letterlock.policy.transactional-id-prefix", manifests.environment("policy-service"))
                .orElseThrow();
        // FencedViewWriter names its ids <prefix>-<topic>-<partition>.
        assertThat(prefix + "-").as("letterlock.policy.transactional-id-prefix").startsWith(POLICY_TRANSACTIONAL_ID_PREFIX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void transactionalIdsOfTheWebhookSettingsWritersFallUnderTheAclPrefix(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String prefix = ServiceConfig.of("events-service")
                .effective("letterlock.webhook.transactional-id-prefix", manifests.environment("events-service"))
                .orElseThrow();
        // FencedViewWriter names its ids <prefix>-<topic>-<partition>.
        assertThat(prefix + "-").as("letterlock.webhook.transactional-id-prefix")
                .startsWith(WEBHOOK_TRANSACTIONAL_ID_PREFIX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void onlyEventsServiceMayTouchTheTopicHoldingWebhookSecrets(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String webhooks = EffectiveTopics.name(manifests, "events-service", "letterlock.topics.webhooks");
        for (KafkaUser user : manifests.all(KafkaUser.class)) {
            boolean touches = acls(user).keySet().stream().anyMatch(r -> r.equals("topic " + webhooks + " (literal)"));
            assertThat(touches).as("%s: KafkaUser %s has ACLs on %s", overlay, user.getMetadata().getName(), webhooks)
                    .isEqualTo(user.getMetadata().getName().equals("events-service"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyUserIsAScramUserOfThisClusterWithSimpleAuthorization(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String cluster = manifests.kafka().getMetadata().getName();
        assertThat(manifests.all(KafkaUser.class)).extracting(u -> u.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
        for (KafkaUser user : manifests.all(KafkaUser.class)) {
            String name = user.getMetadata().getName();
            assertThat(user.getMetadata().getLabels()).as("%s %s", overlay, name).containsEntry("strimzi.io/cluster", cluster);
            assertThat(user.getSpec().getAuthentication().getType()).as("%s %s authentication", overlay, name).isEqualTo("scram-sha-512");
            assertThat(user.getSpec().getAuthorization()).as("%s %s authorization", overlay, name)
                    .isInstanceOf(KafkaUserAuthorizationSimple.class);
        }
    }

    /** "type name (pattern)" → operations, refusing what no service should ever be given. */
    private static Map<String, Set<String>> acls(KafkaUser user) {
        String name = user.getMetadata().getName();
        Map<String, Set<String>> acls = new TreeMap<>();
        for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
            assertThat(rule.getType()).as("%s: DENY rules", name).isNotEqualTo(AclRuleType.DENY);
            assertThat(rule.getHost()).as("%s: ACL host", name).isIn(null, "*");
            Set<String> operations = rule.getOperations().stream().map(AclOperation::toValue).collect(Collectors.toCollection(TreeSet::new));
            assertThat(operations).as("%s: All", name).doesNotContain("All");
            String resource;
            if (rule.getResource() instanceof AclRuleTopicResource topic) {
                resource = "topic " + topic.getName() + " (" + topic.getPatternType().toValue() + ")";
                assertThat(topic.getName()).as("%s: topic ACL names a topic, not *", name).isNotEqualTo("*");
            } else if (rule.getResource() instanceof AclRuleGroupResource group) {
                resource = "group " + group.getName() + " (" + group.getPatternType().toValue() + ")";
            } else if (rule.getResource() instanceof AclRuleTransactionalIdResource id) {
                resource = "transactionalId " + id.getName() + " (" + id.getPatternType().toValue() + ")";
            } else if (rule.getResource() instanceof AclRuleClusterResource) {
                resource = "cluster";
            } else {
                throw new AssertionError(name + ": ACL on " + rule.getResource());
            }
            acls.merge(resource, operations, (a, b) -> {
                Set<String> both = new TreeSet<>(a);
                both.addAll(b);
                return both;
            });
        }
        return acls;
    }

    /**
     * The names given to Kafka Streams' repartition() calls, {@code Repartitioned.as(NAME)} with NAME a
     * string or a String constant of the same sources; Kafka Streams names each topic
     * {@code <application id>-<name>-repartition}.
     */
    static Set<String> repartitionTopicNames(String source) {
        Set<String> names = new TreeSet<>();
        Matcher call = ServiceConfig.matcher("Repartitioned\\.(?:<[^>]*>)?as\\(\\s*(\"[^\"]*\"|\\w+)\\s*\\)", source);
        while (call.find()) {
            String argument = call.group(1);
            if (argument.startsWith("\"")) {
                names.add(argument.substring(1, argument.length() - 1));
            } else {
                Matcher constant = ServiceConfig.matcher("String\\s+" + argument + "\\s*=\\s*\"([^\"]*)\"", source);
                assertThat(constant.find()).as("String constant %s", argument).isTrue();
                names.add(constant.group(1));
            }
        }
        assertThat(source).as("every repartition() is named, or its topic name is not known here")
                .doesNotContainPattern("\\.repartition\\(\\s*\\)");
        return names;
    }

    private static Set<String> ops(String... operations) {
        return new TreeSet<>(Set.of(operations));
    }
}
