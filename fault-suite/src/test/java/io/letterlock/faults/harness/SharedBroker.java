package io.letterlock.faults.harness;

/**
 * One broker process for the scenarios that do not fault the broker itself: a broker start costs
 * seconds of the shared cores, and each scenario keeps to topics and consumer groups of its own.
 * Started by the first scenario that asks, stopped when the run ends ({@link FaultSuiteSession}).
 */
public final class SharedBroker {

    private static KafkaBroker broker;

    private SharedBroker() {
    }

    public static synchronized KafkaBroker get() {
        if (broker == null || !broker.isAlive()) {
            if (broker != null) {
                broker.kill();
            }
            broker = new KafkaBroker("kafka-shared", Repo.TARGET.resolve("fault-suite/kafka-shared-" + ProcessHandle.current().pid()))
                    .start();
        }
        return broker;
    }

    public static synchronized void stop() {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
