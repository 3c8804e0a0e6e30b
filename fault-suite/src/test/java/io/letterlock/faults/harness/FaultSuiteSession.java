package io.letterlock.faults.harness;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * When every scenario of the run has ended: prints the results table and stops the shared broker.
 * Registered in {@code META-INF/services}, so it also runs when one scenario is run alone.
 */
public final class FaultSuiteSession implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedBroker.stop();
        ChildProcess.killAll();
        if (!ResultsTable.isEmpty()) {
            System.out.println();
            System.out.println("Fault suite results (" + ResultsTable.FILE + "):");
            System.out.println();
            System.out.println(ResultsTable.render());
        }
    }
}
