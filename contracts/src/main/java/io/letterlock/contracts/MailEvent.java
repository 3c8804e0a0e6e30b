package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What happened to one job: the value of a record on {@link Topics#EVENTS}, keyed by message id,
 * and the element of a webhook batch. The shape is SendGrid's Event Webhook (docs/architecture.md, "Events")
 * so that consumers written for SendGrid work unchanged; Letterlock only adds fields.
 *
 * <p><b>Custom args are flattened</b> into the JSON object, as SendGrid does: a custom arg
 * {@code campaign=spring} is written as {@code "campaign":"spring"} next to {@code "event"}. On read,
 * every top-level field that is not one of the fields below becomes a custom arg. The trade-off:
 * a field added by a newer producer survives a round trip through an older consumer, but as a
 * custom arg, and as a string (a non-string value keeps its JSON text, so {@code 3} comes back as
 * {@code "3"}), and Jackson 2.x does not keep their order on read. Custom args that take one of the
 * {@link #RESERVED_NAMES} are dropped: the field wins, so a sender cannot forge, say, {@code event}
 * or {@code tls} through its custom args.
 *
 * <p>Build events with {@link #builder(EventType, SendJob)} rather than the constructor.
 *
 * @param email       the recipient
 * @param timestamp   when it happened, in unix seconds
 * @param type        on {@link EventType#BOUNCE} only: {@code bounce} or {@code blocked}
 * @param smtpId      the message's {@code Message-ID} header
 * @param sgEventId   unique per event, so consumers can drop duplicates (delivery is at least once)
 * @param sgMessageId the message id of the job, see {@link #sgMessageIdOf(SendJob)}
 * @param category    the job's categories
 * @param reason      on dropped and bounce: why
 * @param status      on dropped and bounce: the enhanced status code, e.g. {@code 5.7.10}
 * @param bounceClassification on bounce: SendGrid's broad reason, e.g. {@code Invalid Address}
 * @param response    on delivered and deferred: the receiving server's reply
 * @param attempt     on deferred: how many delivery attempts were made so far, counting from 1
 * @param tls         1 when the connection to the receiving server was encrypted, else 0
 * @param certErr     1 when the server's certificate did not verify, else 0
 * @param ip          the address of the receiving server that was connected to
 * @param tlsVersion  Letterlock: the negotiated protocol as JSSE names it, e.g. {@code TLSv1.3}
 * @param tlsCipher   Letterlock: the negotiated cipher suite, e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param mx          Letterlock: the MX host name connected to
 * @param certError   Letterlock: why the certificate did not verify, e.g. {@code expired}
 * @param policy      Letterlock: the TLS policy that applied
 * @param accountId   Letterlock: the sending account, so events-service can route the event to that
 *                    account's webhook without a lookup; SendGrid consumers ignore it
 * @param customArgs  the job's custom args, flattened on the wire (see above)
 */
// Jackson 2.x also binds the any-setter's Java name as a property, and fails the whole read when
// its value is a string; ignoring it keeps a stray "customArgs" field from poisoning an event.
@JsonIgnoreProperties(MailEvent.CUSTOM_ARGS_JAVA_NAME)
public record MailEvent(
        @JsonProperty("email") String email,
        @JsonProperty("timestamp") long timestamp,
        @JsonProperty("event") EventType event,
        @JsonProperty("type") BounceType type,
        @JsonProperty("smtp-id") String smtpId,
        @JsonProperty("sg_event_id") String sgEventId,
        @JsonProperty("sg_message_id") String sgMessageId,
        // SendGrid writes a single category as a bare string; accept that, write an array.
        @JsonProperty("category") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> category,
        @JsonProperty("reason") String reason,
        @JsonProperty("status") String status,
        @JsonProperty("bounce_classification") BounceClassification bounceClassification,
        @JsonProperty("response") String response,
        @JsonProperty("attempt") Integer attempt,
        @JsonProperty("tls") Integer tls,
        @JsonProperty("cert_err") Integer certErr,
        @JsonProperty("ip") String ip,
        @JsonProperty("tls_version") String tlsVersion,
        @JsonProperty("tls_cipher") String tlsCipher,
        @JsonProperty("mx") String mx,
        @JsonProperty("cert_error") String certError,
        @JsonProperty("policy") EffectiveTlsPolicy policy,
        @JsonProperty("account_id") String accountId,
        @JsonAnyGetter @JsonAnySetter @JsonDeserialize(contentUsing = AnyValueAsText.class)
        Map<String, String> customArgs) {

    static final String CUSTOM_ARGS_JAVA_NAME = "customArgs";

    /**
     * The names a custom arg cannot take: the wire names of the fields above (read from the
     * components, so a field added later is reserved too) and {@value #CUSTOM_ARGS_JAVA_NAME},
     * which Jackson would not read back.
     */
    public static final Set<String> RESERVED_NAMES = Stream.concat(
                    Arrays.stream(MailEvent.class.getRecordComponents())
                            .map(c -> c.getAccessor().getAnnotation(JsonProperty.class))
                            .filter(Objects::nonNull)
                            .map(JsonProperty::value),
                    Stream.of(CUSTOM_ARGS_JAVA_NAME))
            .collect(Collectors.toUnmodifiableSet());

    public MailEvent {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(sgEventId, "sgEventId");
        if (event == EventType.BOUNCE && type == null) {
            throw new IllegalArgumentException("a bounce event needs a type");
        }
        requireFlag("tls", tls);
        requireFlag("cert_err", certErr);
        category = category == null ? List.of() : List.copyOf(category);
        customArgs = withoutReservedNames(customArgs);
    }

    /**
     * The {@code event} of a serialized event, read without decoding the rest: for a reader that
     * wants one kind among many (policy-service lists only bounces), so that it neither decodes
     * every event nor has the JIT compile all of the decoding while a just-started replica
     * catches up. Empty when the bytes are not a JSON object with a known top-level {@code event}
     * (the reader then decodes it whole and says what is wrong). Of a repeated {@code event} the
     * last counts, as when the event is decoded.
     */
    public static Optional<EventType> typeOf(byte[] json) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Optional<EventType> type = Optional.empty();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("event")) {
                    type = value == JsonToken.VALUE_STRING ? EventType.parse(parser.getText()) : Optional.empty();
                } else {
                    parser.skipChildren();
                }
            }
            return token == JsonToken.END_OBJECT ? type : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * An event about {@code job}: recipient, account, message id, categories and custom args are
     * taken from it; on {@link EventType#DEFERRED} so is the attempt (the job's attempt + 1).
     */
    public static Builder builder(EventType event, SendJob job) {
        Builder b = new Builder(event, job.to().email())
                .accountId(job.accountId())
                .sgMessageId(sgMessageIdOf(job))
                .category(job.categories())
                .customArgs(job.customArgs());
        return event == EventType.DEFERRED ? b.attempt(job.attempt() + 1) : b;
    }

    /** An event with nothing filled in but the recipient; for tests and events without a job. */
    public static Builder builder(EventType event, String email) {
        return new Builder(event, email);
    }

    /**
     * The {@code sg_message_id} of a job's events: the send request's X-Message-Id, a dot, then the
     * job id. Like SendGrid's, it starts with the X-Message-Id up to the first dot, and it tells the
     * recipients of one request apart.
     */
    public static String sgMessageIdOf(SendJob job) {
        return job.messageId() + "." + job.jobId();
    }

    /**
     * The key of the {@link Topics#EVENTS} records of the message with this {@code sg_message_id}:
     * its X-Message-Id, the part before the first dot (see {@link #sgMessageIdOf}). All events of one
     * send request share it, so they share a partition; a reader that looks a message up by
     * partition must hash this, not the {@code sg_message_id}. An id without a dot is its own key.
     */
    public static String recordKeyOf(String sgMessageId) {
        int dot = sgMessageId.indexOf('.');
        return dot < 0 ? sgMessageId : sgMessageId.substring(0, dot);
    }

    private static void requireFlag(String name, Integer value) {
        if (value != null && value != 0 && value != 1) {
            throw new IllegalArgumentException(name + " must be 0 or 1: " + value);
        }
    }

    private static Map<String, String> withoutReservedNames(Map<String, String> customArgs) {
        if (customArgs == null || customArgs.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = new LinkedHashMap<>();
        customArgs.forEach((name, value) -> {
            if (value != null && !RESERVED_NAMES.contains(name)) {
                kept.put(name, value);
            }
        });
        return Collections.unmodifiableMap(kept);
    }

    /** Reads any JSON value of an unknown field as text, so a newer producer's object field does not fail the read. */
    static final class AnyValueAsText extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            return node.isTextual() ? node.textValue() : node.toString();
        }
    }

    /** Fills a {@link MailEvent}; {@code sg_event_id} defaults to a random UUID, the timestamp to now. */
    public static final class Builder {
        private final EventType event;
        private final String email;
        private Instant timestamp;
        private BounceType type;
        private String smtpId;
        private String sgEventId;
        private String sgMessageId;
        private List<String> category;
        private String reason;
        private String status;
        private BounceClassification bounceClassification;
        private String response;
        private Integer attempt;
        private Integer tls;
        private Integer certErr;
        private String ip;
        private String tlsVersion;
        private String tlsCipher;
        private String mx;
        private String certError;
        private EffectiveTlsPolicy policy;
        private String accountId;
        private final Map<String, String> customArgs = new LinkedHashMap<>();

        private Builder(EventType event, String email) {
            this.event = event;
            this.email = email;
        }

        public Builder timestamp(Instant timestamp) { this.timestamp = timestamp; return this; }
        public Builder type(BounceType type) { this.type = type; return this; }
        public Builder smtpId(String smtpId) { this.smtpId = smtpId; return this; }
        public Builder sgEventId(String sgEventId) { this.sgEventId = sgEventId; return this; }
        public Builder sgMessageId(String sgMessageId) { this.sgMessageId = sgMessageId; return this; }
        public Builder category(List<String> category) { this.category = category; return this; }
        public Builder reason(String reason) { this.reason = reason; return this; }
        public Builder status(String status) { this.status = status; return this; }
        public Builder bounceClassification(BounceClassification c) { this.bounceClassification = c; return this; }
        public Builder response(String response) { this.response = response; return this; }
        public Builder attempt(Integer attempt) { this.attempt = attempt; return this; }
        public Builder tls(boolean tls) { this.tls = tls ? 1 : 0; return this; }
        public Builder certErr(boolean certErr) { this.certErr = certErr ? 1 : 0; return this; }
        public Builder ip(String ip) { this.ip = ip; return this; }
        public Builder tlsVersion(String tlsVersion) { this.tlsVersion = tlsVersion; return this; }
        public Builder tlsCipher(String tlsCipher) { this.tlsCipher = tlsCipher; return this; }
        public Builder mx(String mx) { this.mx = mx; return this; }
        public Builder certError(String certError) { this.certError = certError; return this; }
        public Builder policy(EffectiveTlsPolicy policy) { this.policy = policy; return this; }
        public Builder accountId(String accountId) { this.accountId = accountId; return this; }
        public Builder customArg(String name, String value) { customArgs.put(name, value); return this; }
        public Builder customArgs(Map<String, String> args) { customArgs.putAll(args); return this; }

        public MailEvent build() {
            long seconds = (timestamp == null ? Instant.now() : timestamp).getEpochSecond();
            String eventId = sgEventId == null ? UUID.randomUUID().toString() : sgEventId;
            return new MailEvent(email, seconds, event, type, smtpId, eventId, sgMessageId, category,
                    reason, status, bounceClassification, response, attempt, tls, certErr, ip, tlsVersion, tlsCipher, mx,
                    certError, policy, accountId, customArgs);
        }
    }
}
