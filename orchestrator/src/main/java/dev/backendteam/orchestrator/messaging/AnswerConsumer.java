package dev.backendteam.orchestrator.messaging;

import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.PoisonMessageException;
import dev.backendteam.contract.Topics;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import dev.backendteam.orchestrator.service.JobConflictException;
import dev.backendteam.orchestrator.service.JobNotFoundException;
import dev.backendteam.orchestrator.service.JobService;
import dev.backendteam.orchestrator.service.RequestReader;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Answers to clarifying questions, by job id; one that cannot apply is dead-lettered with the reason. */
@ApplicationScoped
public class AnswerConsumer {
    private final JobService jobs;
    private final RequestReader reader;

    public AnswerConsumer(JobService jobs, RequestReader reader) {
        this.jobs = jobs;
        this.reader = reader;
    }

    @Incoming(Topics.JOBS_ANSWERS)
    @Blocking
    public void onAnswer(String payload) {
        JobAnswer answer;
        try {
            answer = reader.readAnswer(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRequestException e) {
            throw new PoisonMessageException(e.getMessage());
        }
        UUID id = JobService.parseId(answer.jobId());
        if (id == null) {
            throw new PoisonMessageException("answer lacks a valid jobId");
        }
        try {
            StoreRetry.run(() -> jobs.answer(id, null, answer));
        } catch (JobNotFoundException | JobConflictException e) {
            throw new PoisonMessageException(e.getMessage());
        }
    }
}
