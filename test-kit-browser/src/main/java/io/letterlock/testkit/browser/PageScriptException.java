package io.letterlock.testkit.browser;

/** A script evaluated in the page threw; the message is the page's own description of the error. */
public class PageScriptException extends RuntimeException {

    public PageScriptException(String message) {
        super(message);
    }
}
