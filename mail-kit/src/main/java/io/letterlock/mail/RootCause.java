package io.letterlock.mail;

/**
 * The innermost cause's message, for events and logs: "Connection refused" says more to an
 * operator than the three wrappers around it.
 */
public final class RootCause {

    private RootCause() {
    }

    public static String message(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
