package io.letterlock.service.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parsed API keys file: key hash → account, and account → parent. Keys are kept only as
 * SHA-256 hashes; the file itself may hold hashes too ({@code sha256-<64 hex digits>}) so that the
 * plain key exists only with its owner. Error messages name line numbers, never line content.
 */
public final class ApiKeysFile {

    static final String HASH_PREFIX = "sha256-";
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final Pattern HASH = Pattern.compile(HASH_PREFIX + "[0-9a-f]{64}");

    private final Map<String, Account> accountsByKeyHash;
    private final Map<String, Account> accountsById;

    private ApiKeysFile(Map<String, Account> accountsByKeyHash, Map<String, Account> accountsById) {
        this.accountsByKeyHash = Map.copyOf(accountsByKeyHash);
        this.accountsById = Map.copyOf(accountsById);
    }

    public static ApiKeysFile empty() {
        return new ApiKeysFile(Map.of(), Map.of());
    }

    /**
     * @param lines the file's lines; blank lines and lines starting with {@code #} are skipped
     * @throws IllegalArgumentException naming the first bad line's number
     */
    public static ApiKeysFile parse(List<String> lines) {
        Map<String, Account> byHash = new HashMap<>();
        Map<String, Account> byId = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNumber = i + 1;
            String[] fields = line.split(":", -1);
            if (fields.length < 2 || fields.length > 3) {
                throw bad(lineNumber, "expected account_id:api_key[:parent_account_id]");
            }
            String id = fields[0];
            String key = fields[1];
            Optional<String> parent = fields.length == 3 ? Optional.of(fields[2]) : Optional.empty();
            if (!ACCOUNT_ID.matcher(id).matches() || parent.filter(p -> !ACCOUNT_ID.matcher(p).matches()).isPresent()) {
                throw bad(lineNumber, "account ids are letters, digits and . _ @ + -");
            }
            if (parent.filter(id::equals).isPresent()) {
                throw bad(lineNumber, "an account cannot be its own parent");
            }
            Account account = new Account(id, parent);
            Account earlier = byId.putIfAbsent(id, account);
            if (earlier != null && !earlier.equals(account)) {
                throw bad(lineNumber, "account " + id + " has a different parent on an earlier line");
            }
            // An empty key declares a subuser that only its parent can act for.
            if (!key.isEmpty() && byHash.putIfAbsent(hashOf(key), account) != null) {
                throw bad(lineNumber, "this API key is already used on an earlier line");
            }
        }
        return new ApiKeysFile(byHash, byId);
    }

    public Optional<Account> accountForKey(String presentedKey) {
        return Optional.ofNullable(accountsByKeyHash.get(sha256Hex(presentedKey)));
    }

    public Optional<Account> account(String id) {
        return Optional.ofNullable(accountsById.get(id));
    }

    public int size() {
        return accountsById.size();
    }

    /** The hash form of a key as the file may hold it: {@code sha256-<hex>}. */
    public static String hashedForm(String key) {
        return HASH_PREFIX + sha256Hex(key);
    }

    private static String hashOf(String keyField) {
        return HASH.matcher(keyField).matches() ? keyField.substring(HASH_PREFIX.length()) : sha256Hex(keyField);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static IllegalArgumentException bad(int lineNumber, String why) {
        return new IllegalArgumentException("API keys file, line " + lineNumber + ": " + why);
    }
}
