package io.letterlock.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * A stock Postfix (Debian's {@code postfix} package, 3.7) as the peer in a side-by-side run: a
 * private instance under one folder (its own main.cf, master.cf, queue and log; nothing of the
 * machine's own mail system is used or started), listening on a loopback port, relaying every
 * recipient domain to the same SMTP servers Letterlock delivers to, with
 * {@code smtp_tls_security_level = verify} and TLS connection reuse (tlsproxy). Mail is submitted
 * to it over SMTP, one message per recipient, as an application hands a queue its mail.
 *
 * <p>Needs root (Postfix starts as root and drops to its {@code postfix} user) and the package:
 * {@code apt-get install postfix}. Postfix only runs an instance from another folder when the
 * default main.cf names it in {@code alternate_config_directories}; {@link #start} adds its folder
 * to that list in /etc/postfix/main.cf (creating the file if the package left none), keeping the
 * folders already there, such as a receiving instance's (bench/postfix-receiver).
 */
final class PostfixPeer implements AutoCloseable {

    /** Debian's master.cf, the services this instance runs. */
    private static final Path MASTER_CF = Path.of("/usr/share/postfix/master.cf.dist");

    private final Path home;
    private final Path config;
    private final int port;
    private final LogLineCount sent;

    /** Fails at once, before anything is started, where Debian's postfix package or root is missing. */
    static void requireInstalled() {
        if (!Files.isExecutable(Path.of("/usr/sbin/postfix")) || !Files.isRegularFile(MASTER_CF)) {
            throw new IllegalStateException("'postfix' needs Debian's postfix package: as root, "
                    + "DEBIAN_FRONTEND=noninteractive apt-get install -y postfix (choose 'No configuration'; "
                    + "the benchmark runs a private instance and never starts the machine's own)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("'postfix' needs root: Postfix starts as root and drops to its own user");
        }
    }

    /**
     * @param routes    recipient domain to the host:port that receives its mail
     * @param certName  the name the servers' certificates carry (a DNS name; Postfix matches those),
     *                  or null to match each route's host, as {@code verify} does by default
     */
    PostfixPeer(Path home, int port, Path caPem, Map<String, String> routes, String certName) throws IOException {
        this.home = home.toAbsolutePath();
        this.config = this.home.resolve("etc");
        this.port = port;
        this.sent = new LogLineCount(this.home.resolve("maillog"), " status=sent ");
        Files.createDirectories(config);
        Files.createDirectories(this.home.resolve("queue"));
        Files.createDirectories(this.home.resolve("data"));
        Files.writeString(config.resolve("transport"), routes.entrySet().stream()
                .map(e -> e.getKey() + " smtp:" + nexthop(e.getValue())).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(config.resolve("tls_policy"), routes.values().stream().distinct()
                .map(hostPort -> nexthop(hostPort) + " verify" + (certName == null ? "" : " match=" + certName))
                .collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(config.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + this.home.resolve("queue"),
                "data_directory = " + this.home.resolve("data"),
                "command_directory = /usr/sbin",
                "daemon_directory = /usr/lib/postfix/sbin",
                "shlib_directory = /usr/lib/postfix",
                "meta_directory = /etc/postfix",
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = peer.bench.test",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "smtpd_relay_restrictions = permit_mynetworks, reject",
                "alias_maps =",
                "alias_database =",
                "local_recipient_maps =",
                "maillog_file_prefixes = " + this.home,
                "maillog_file = " + this.home.resolve("maillog"),
                "transport_maps = texthash:" + config.resolve("transport"),
                // What the issue names: verify certificates, and reuse TLS connections.
                "smtp_tls_security_level = verify",
                "smtp_tls_policy_maps = texthash:" + config.resolve("tls_policy"),
                "smtp_tls_CAfile = " + caPem.toAbsolutePath(),
                "smtp_tls_connection_reuse = yes",
                "smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache",
                ""));
        // Debian's master.cf, every service outside a chroot (the queue folder holds no copy of
        // /etc), smtpd on the chosen port, and tlsproxy, which connection reuse needs.
        List<String> master = new ArrayList<>();
        for (String line : Files.readAllLines(MASTER_CF)) {
            if (line.isBlank() || line.startsWith("#") || Character.isWhitespace(line.charAt(0))) {
                master.add(line);
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 8) {
                if (fields[0].equals("smtp") && fields[1].equals("inet")) {
                    fields[0] = "127.0.0.1:" + port;
                }
                fields[4] = "n";
                line = String.join("  ", fields);
            }
            master.add(line);
        }
        master.add("tlsproxy  unix  -  -  n  -  0  tlsproxy");
        Files.write(config.resolve("master.cf"), master);
    }

    /** host:port as Postfix's next hop without an MX lookup: [host]:port. */
    private static String nexthop(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return "[" + hostPort.substring(0, colon) + "]" + hostPort.substring(colon);
    }

    /** Messages Postfix has delivered so far: the {@code status=sent} lines of its log. */
    long sentCount() throws IOException {
        return sent.count();
    }

    void start() throws IOException, InterruptedException {
        allowConfigDirectory(config);
        run("chown", "-R", "postfix:postfix", home.resolve("data").toString());
        run("postfix", "-c", config.toString(), "start");
    }

    /** Adds {@code folder} to the default main.cf's alternate_config_directories, keeping what is there. */
    private static void allowConfigDirectory(Path folder) throws IOException {
        Path defaultMain = Path.of("/etc/postfix/main.cf");
        List<String> lines = Files.exists(defaultMain) ? new ArrayList<>(Files.readAllLines(defaultMain)) : new ArrayList<>();
        List<String> folders = new ArrayList<>();
        // The last assignment is the one Postfix reads; earlier ones go.
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.matches("\\s*alternate_config_directories\\s*=.*")) {
                folders.clear();
                for (String f : line.substring(line.indexOf('=') + 1).trim().split("[\\s,]+")) {
                    if (!f.isEmpty()) {
                        folders.add(f);
                    }
                }
                it.remove();
            }
        }
        if (!folders.contains(folder.toString())) {
            folders.add(folder.toString());
        }
        lines.add("alternate_config_directories = " + String.join(" ", folders));
        Files.write(defaultMain, lines);
    }

    /** CPU seconds of the master and every process under it, including those it has reaped. */
    double cpuSeconds() throws IOException {
        return cpuSecondsOfInstance(home);
    }

    /**
     * The same for any Postfix instance whose queue is {@code home/queue}, such as the receiving one
     * {@code bench/postfix-receiver} starts.
     */
    static double cpuSecondsOfInstance(Path home) throws IOException {
        long master = masterPid(home);
        double cpu = withChildren(master);
        for (ProcessHandle child : ProcessHandle.of(master).map(p -> p.descendants().toList()).orElse(List.of())) {
            cpu += withChildren(child.pid());
        }
        return cpu;
    }

    private static double withChildren(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14])) / 100.0;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /**
     * Submits {@code recipients} messages, one recipient each, over {@code connections} SMTP
     * connections at once, many messages per connection; returns when Postfix has queued them all.
     */
    void submit(ExecutorService pool, int connections, List<String> recipients, String body) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            sent.add(pool.submit(() -> {
                try (Socket socket = new Socket("127.0.0.1", port);
                     BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                             StandardCharsets.US_ASCII));
                     OutputStream out = socket.getOutputStream()) {
                    expect(in, "220");
                    command(out, in, "EHLO bench.letterlock.test", "250");
                    for (int i = first; i < recipients.size(); i += connections) {
                        command(out, in, "MAIL FROM:<bench@letterlock.test>", "250");
                        command(out, in, "RCPT TO:<" + recipients.get(i) + ">", "250");
                        command(out, in, "DATA", "354");
                        out.write(("From: Bench <bench@letterlock.test>\r\nTo: <" + recipients.get(i)
                                + ">\r\nSubject: Benchmark\r\n\r\n" + body + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                        expect(in, "250");
                    }
                    command(out, in, "QUIT", "221");
                }
                return null;
            }));
        }
        for (Future<?> connection : sent) {
            connection.get();
        }
    }

    private static void command(OutputStream out, BufferedReader in, String command, String code) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || !line.startsWith(code)) {
                throw new IOException("Postfix answered " + line + ", expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("postfix", "-c", config.toString(), "stop");
    }

    /**
     * Stops a Postfix that a killed run left running from {@code home} (its master daemonizes, so it
     * outlives the benchmark's JVM); nothing when there is none.
     */
    static void stopLeftover(Path home) throws IOException, InterruptedException {
        Path config = home.resolve("etc");
        if (Files.exists(config.resolve("main.cf")) && masterRunning(home)) {
            // Exits non-zero when no Postfix runs from there, which is what is wanted anyway.
            new ProcessBuilder("postfix", "-c", config.toString(), "stop").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    /** The pid of the instance's master, from the file it writes in its queue (left there after a stop). */
    private static long masterPid(Path home) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("queue/pid/master.pid")).trim());
    }

    /** Whether the instance's master still runs. */
    private static boolean masterRunning(Path home) {
        try {
            return ProcessHandle.of(masterPid(home)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException none) {
            return false;
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("commands.log").toFile())).start();
        if (process.waitFor() != 0) {
            String log = Files.exists(home.resolve("maillog")) ? Files.readString(home.resolve("maillog")) : "";
            throw new IllegalStateException(String.join(" ", command) + " failed; the end of its log:\n"
                    + log.substring(Math.max(0, log.length() - 2000)));
        }
    }
}
