package io.letterlock.delivery.endtoend;

import io.letterlock.testkit.smtp.ScriptedReply;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The receiving side of the end-to-end tests: one real SMTP server per kind of receiver, each the
 * only MX of its own domain (static routes, as an operator would set them), with certificates
 * from a test CA the service is told to trust. Static so the tests can see what each received.
 */
public class MailWorld implements QuarkusTestResourceLifecycleManager {

    /** The one operator account of the end-to-end tests (letterlock.operator-accounts). */
    static final io.letterlock.testkit.accounts.TestAccounts.TestAccount OPERATOR =
            io.letterlock.testkit.accounts.TestAccounts.account(58);

    /** Route hosts are IP literals, so the certificate must name 127.0.0.1 (an iPAddress SAN). */
    static final String HOST = "127.0.0.1";

    static final Map<String, TestSmtpServer> SERVERS = new LinkedHashMap<>();
    static TestCa ca;

    /** Domain → its server. */
    static TestSmtpServer server(String domain) {
        return SERVERS.get(domain);
    }

    @Override
    public Map<String, String> start() {
        ca = TestCa.create("End-to-end Test CA");
        SERVERS.put("valid.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST)).start());
        SERVERS.put("badcert.test", TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(HOST)).start());
        SERVERS.put("expired.test", TestSmtpServer.builder().startTls(ServerCertificate.expired(ca, HOST)).start());
        SERVERS.put("notls.test", TestSmtpServer.builder().start());
        SERVERS.put("requiretls.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST))
                .requireTls(true).start());
        SERVERS.put("injecting.test", TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, HOST), "250 injected\r\n").start());
        SERVERS.put("greylist.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST))
                .rcptReplyForFirst(1, ScriptedReply.TRY_AGAIN_LATER).start());
        SERVERS.put("reject.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST))
                .rejectRcpt(ScriptedReply.NO_SUCH_USER).start());
        SERVERS.put("policy.test", TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(HOST)).start());
        String routes = SERVERS.entrySet().stream()
                .map(e -> e.getKey() + "=" + HOST + ":" + e.getValue().port())
                .collect(Collectors.joining(","));
        Path trust = ca.writePem(Path.of("target", "end-to-end-ca.pem").toAbsolutePath());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("letterlock.routes", routes);
        config.put("letterlock.trust-pem", trust.toString());
        config.put("letterlock.delivery.helo-name", "worker.letterlock.test");
        config.put("letterlock.operator-accounts", OPERATOR.id());
        config.put("letterlock.smtp.timeout.greeting", "5s");
        config.put("letterlock.smtp.timeout.command", "5s");
        config.put("letterlock.smtp.timeout.tls-handshake", "5s");
        config.put("letterlock.smtp.timeout.data-initiation", "5s");
        config.put("letterlock.smtp.timeout.data-termination", "5s");
        // Retries within a test's patience.
        config.put("letterlock.retry.initial-delay", "1s");
        config.put("letterlock.retry.max-delay", "2s");
        config.put("letterlock.retry.jitter", "0");
        // A paused batch's jobs look again within a test's patience.
        config.put("letterlock.batches.recheck-interval", "1s");
        return config;
    }

    @Override
    public void stop() {
        SERVERS.values().forEach(TestSmtpServer::close);
        SERVERS.clear();
    }
}
