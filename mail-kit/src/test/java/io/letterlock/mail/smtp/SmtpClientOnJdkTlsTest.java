package io.letterlock.mail.smtp;

import io.netty.handler.ssl.SslProvider;

/**
 * Every SMTP client test again on the JDK's TLS: the fallback where BoringSSL's native library
 * does not load (letterlock.delivery.tls-provider=jdk) must behave the same.
 */
class SmtpClientOnJdkTlsTest extends SmtpClientTest {

    @Override
    SslProvider provider() {
        return SslProvider.JDK;
    }
}
