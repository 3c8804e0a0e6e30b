package io.letterlock.testkit.dns;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each test its own {@link TestDnsServer}, empty, in every non-static field of that type of
 * the test instance, and closes it after the test, so answers never leak from one test into the
 * next. It runs before the class's own {@code @BeforeEach} methods, which may add records.
 *
 * <pre>{@code
 * @ExtendWith(FreshDnsServer.class)
 * class MyTest {
 *     private TestDnsServer dns; // set before each test
 * }
 * }</pre>
 */
public final class FreshDnsServer implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshDnsServer.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Object test = context.getRequiredTestInstance();
        List<TestDnsServer> started = new ArrayList<>();
        context.getStore(NAMESPACE).put("servers", started);
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == TestDnsServer.class && !Modifier.isStatic(field.getModifiers())) {
                    TestDnsServer server = TestDnsServer.start();
                    started.add(server);
                    field.setAccessible(true);
                    field.set(test, server);
                }
            }
        }
        if (started.isEmpty()) {
            throw new IllegalStateException(test.getClass().getName() + " has no TestDnsServer field to fill");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        List<TestDnsServer> started = context.getStore(NAMESPACE).remove("servers", List.class);
        if (started != null) {
            started.forEach(TestDnsServer::close);
        }
    }
}
