package io.letterlock.delivery.worker;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when the worker stopped, or a job's outcome could not be put on Kafka: its partition can
 * no longer commit, and a restart (which re-reads the job) is the way out.
 */
@Liveness
public class WorkerLiveness implements HealthCheck {

    private final SendJobWorker worker;

    public WorkerLiveness(SendJobWorker worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("send-job worker").status(worker.isHealthy()).build();
    }
}
