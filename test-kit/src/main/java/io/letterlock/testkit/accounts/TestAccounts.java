package io.letterlock.testkit.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The accounts of a test run and the API keys file that declares them. Each test takes accounts of
 * its own ({@link #account(int)}) so tests sharing one application never see each other's settings.
 * Odd-numbered accounts are written to the file as SHA-256 hashes, even-numbered ones in plain
 * text, so both forms are exercised over real HTTP.
 */
public final class TestAccounts {

    /** Plain accounts account-1 … account-N. */
    public static final int PLAIN_ACCOUNTS = 100;

    /** A parent account with one subuser. */
    public static final TestAccount PARENT = new TestAccount("parent-1", "test-key-parent-1");
    public static final TestAccount SUBUSER = new TestAccount("parent-1-sub", "test-key-parent-1-sub");
    /** A subuser of {@link #OTHER_PARENT}; {@link #PARENT} may not act for it. */
    public static final TestAccount OTHER_PARENT = new TestAccount("parent-2", "test-key-parent-2");
    public static final TestAccount OTHER_SUBUSER = new TestAccount("parent-2-sub", "test-key-parent-2-sub");

    private TestAccounts() {
    }

    public static TestAccount account(int n) {
        if (n < 1 || n > PLAIN_ACCOUNTS) {
            throw new IllegalArgumentException("accounts are numbered 1.." + PLAIN_ACCOUNTS);
        }
        return new TestAccount("account-" + n, "test-key-" + n);
    }

    /** Writes the keys file for every test account into {@code directory}. */
    public static Path writeKeysFile(Path directory) {
        List<String> lines = new ArrayList<>();
        lines.add("# account_id:api_key[:parent_account_id]");
        for (int n = 1; n <= PLAIN_ACCOUNTS; n++) {
            TestAccount account = account(n);
            lines.add(account.id() + ":" + (n % 2 == 1 ? "sha256-" + sha256Hex(account.key()) : account.key()));
        }
        lines.add(PARENT.id() + ":" + PARENT.key());
        lines.add(SUBUSER.id() + ":" + SUBUSER.key() + ":" + PARENT.id());
        lines.add(OTHER_PARENT.id() + ":" + OTHER_PARENT.key());
        lines.add(OTHER_SUBUSER.id() + ":" + OTHER_SUBUSER.key() + ":" + OTHER_PARENT.id());
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "api-keys", ".txt");
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public record TestAccount(String id, String key) {
        /** The value of the Authorization header for this account. */
        public String bearer() {
            return "Bearer " + key;
        }
    }
}
