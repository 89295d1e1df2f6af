package dev.backendteam.orchestrator.rest;

import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.service.JobService;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a job's timeline in the job store (so it works whichever orchestrator replica made the change) and ends
 * after the terminal event.
 */
@ApplicationScoped
public class JobEventStream {
    private static final long POLL_MS = 200;
    private final JobService jobs;
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "job-events");
        t.setDaemon(true);
        return t;
    });

    public JobEventStream(JobService jobs) {
        this.jobs = jobs;
    }

    public Multi<Job.Event> follow(Job job, String owner, int afterSeq) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicInteger last = new AtomicInteger(afterSeq);
            AtomicBoolean done = new AtomicBoolean();
            ScheduledFuture<?> task = poller.scheduleWithFixedDelay(() -> {
                if (done.get()) {
                    return;
                }
                try {
                    for (Job.Event e : jobs.events(job.id, owner, last.get())) {
                        last.set(e.seq());
                        emitter.emit(e);
                        if (e.status().terminal() && e.type().equals("job." + e.status().wire())) {
                            done.set(true);
                            emitter.complete();
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    done.set(true);
                    emitter.fail(e);
                }
            }, 0, POLL_MS, TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> {
                done.set(true);
                task.cancel(false);
            });
        });
    }

    void stop(@Observes ShutdownEvent event) {
        poller.shutdownNow();
    }
}
