package io.letterlock.bench;

/** How every benchmark's main ends: with an exit, since the in-JVM broker's threads would keep a failed run alive forever. */
final class BenchMain {

    interface Body {
        void run() throws Exception;
    }

    private BenchMain() {
    }

    /** Runs the benchmark and exits 0, or prints what failed and exits 1. */
    static void runAndExit(Body body) {
        int exit = 0;
        try {
            body.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }
}
