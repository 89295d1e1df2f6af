package dev.backendteam.orchestrator.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Every step has a deadline, so no job stays running forever (BRIEF §2). */
@ApplicationScoped
public class DeadlineWatch {
    private final JobService jobs;

    public DeadlineWatch(JobService jobs) {
        this.jobs = jobs;
    }

    @Scheduled(every = "${backend-team.deadline-scan:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        jobs.timeOutOverdue();
    }
}
