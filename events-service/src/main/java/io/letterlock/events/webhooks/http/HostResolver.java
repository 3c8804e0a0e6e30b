package io.letterlock.events.webhooks.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a webhook host name into addresses. The JVM's resolver in production; a fake in tests of DNS rebinding. */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
