package io.letterlock.testkit.browser;

/** The browser refused or never answered a DevTools command. */
public class DevToolsException extends RuntimeException {

    public DevToolsException(String message) {
        super(message);
    }

    public DevToolsException(String message, Throwable cause) {
        super(message, cause);
    }
}
