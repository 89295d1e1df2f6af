package dev.backendteam.orchestrator.rest;

import dev.backendteam.contract.JobAnswer;
import dev.backendteam.contract.JobRequest;
import dev.backendteam.contract.JobUpdate;
import dev.backendteam.contract.Contract;
import dev.backendteam.orchestrator.engine.BundleWriter;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.JobReport;
import dev.backendteam.orchestrator.engine.ReportBuilder;
import dev.backendteam.orchestrator.engine.ReportRenderer;
import dev.backendteam.orchestrator.repository.JobRepository;
import dev.backendteam.orchestrator.service.InvalidRequestException;
import dev.backendteam.orchestrator.service.JobService;
import dev.backendteam.orchestrator.service.RequestReader;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The REST gateway: submit jobs, follow them, answer their questions, fetch reports and bundles. */
@Path("/jobs")
@Tag(name = "jobs")
@Blocking
public class JobResource {
    private static final String MARKDOWN = "text/markdown";

    private final JobService jobs;
    private final RequestReader reader;
    private final Caller caller;
    private final JobEventStream stream;
    private final ReportBuilder reports = new ReportBuilder();

    public JobResource(JobService jobs, RequestReader reader, Caller caller, JobEventStream stream) {
        this.jobs = jobs;
        this.reader = reader;
        this.caller = caller;
        this.stream = stream;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Only `task` is required. With an Idempotency-Key, the same "
            + "request returns the job it created before; the key with another body is a 409.")
    @RequestBody(content = @Content(schema = @Schema(implementation = JobRequest.class)))
    @APIResponse(responseCode = "202", description = "Accepted; Location names the job")
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field, or a value of the wrong type")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    @APIResponse(responseCode = "413", description = "Body over the limit (1 MiB)")
    @APIResponse(responseCode = "422", description = "Missing task, unknown flow, unconfigured target, a NUL "
            + "character in any text, a file path that is not relative and normalised, a negative or infinite "
            + "frequency or write rate, a write rate of something that is not a table name, an explain that is "
            + "neither EXPLAIN's text nor its JSON format")
    public Response submit(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new InvalidRequestException(InvalidRequestException.Kind.UNPROCESSABLE,
                    "Idempotency-Key must be 1 to 200 characters", List.of());
        }
        JobRequest request = reader.readRequest(body);
        JobService.Submitted submitted = jobs.submit(caller.owner(), request, idempotencyKey);
        return Response.accepted(JobView.of(submitted.job())).location(URI.create("/jobs/" + submitted.job().id))
                .header("Idempotent-Replayed", submitted.created() ? null : "true").build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List your jobs, newest first", description = "Keyset-paged: follow `next`.")
    public Map<String, Object> list(@QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("cursor") String cursor) {
        if (limit < 1 || limit > 100) {
            throw new InvalidRequestException(InvalidRequestException.Kind.UNPROCESSABLE, "limit must be 1 to 100",
                    List.of(new InvalidRequestException.Violation("limit", "must be 1 to 100")));
        }
        Instant before = null;
        UUID beforeId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .split("\\|");
                before = Instant.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw new InvalidRequestException(InvalidRequestException.Kind.UNPROCESSABLE, "cursor is not one "
                        + "this gateway issued", List.of(new InvalidRequestException.Violation("cursor", "invalid")));
            }
        }
        List<JobRepository.Summary> page = jobs.list(caller.owner(), before, beforeId, limit);
        String next = null;
        if (page.size() == limit) {
            JobRepository.Summary last = page.get(page.size() - 1);
            next = "/jobs?limit=" + limit + "&cursor=" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return next == null ? Map.of("items", page) : Map.of("items", page, "next", next);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A job with its steps and its model usage", description = "`usage`: the job's model calls "
            + "summed (calls, failedCalls, tokensIn, tokensOut, tokens, latencyMs, retries, toolCalls) and the same "
            + "per provider and model (`byModel`); zeros when no model was called. Each step that called a model has "
            + "its own `usage`, over all its attempts; `orchestratorUsage` is the orchestrator's own part.")
    public JobView get(@PathParam("id") UUID id) {
        return JobView.of(jobs.get(id, caller.owner()));
    }

    @GET
    @Path("{id}/report")
    @Produces({MARKDOWN, MediaType.APPLICATION_JSON})
    @Operation(summary = "The report", description = "Markdown (BRIEF §4 format) by default; JSON with "
            + "`Accept: application/json` or `?format=json`. The JSON carries the model usage as `GET /jobs/{id}` "
            + "does, and each step's calls one by one (`modelCalls`); the Markdown has a `## Model usage` section "
            + "when any model was called.")
    public Response report(@PathParam("id") UUID id, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        JobReport report = reports.build(jobs.get(id, caller.owner()));
        boolean json = "json".equals(format) || (format == null && accept != null
                && accept.contains(MediaType.APPLICATION_JSON) && !accept.contains(MARKDOWN));
        return json ? Response.ok(report, MediaType.APPLICATION_JSON).build()
                : Response.ok(ReportRenderer.markdown(report), MARKDOWN + ";charset=utf-8").build();
    }

    @GET
    @Path("{id}/bundle")
    @Produces("application/zip")
    @Operation(summary = "The artifacts as a zip, in the Supabase CLI layout, with REPORT.md")
    public Response bundle(@PathParam("id") UUID id) {
        Job job = jobs.get(id, caller.owner());
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            BundleWriter.write(reports.build(job), zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(zip.toByteArray(), "application/zip")
                .header("Content-Disposition", "attachment; filename=\"backend-team-" + id + ".zip\"").build();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The job's timeline as Server-Sent Events", description = "Each event's id is its sequence "
            + "number (Last-Event-ID resumes); the stream ends after the terminal event.")
    public Multi<OutboundSseEvent> events(@PathParam("id") UUID id, @Context Sse sse,
            @HeaderParam("Last-Event-ID") @DefaultValue("0") int lastEventId) {
        Job job = jobs.get(id, caller.owner());
        return stream.follow(job, caller.owner(), lastEventId).map(e -> sse.newEventBuilder()
                .id(String.valueOf(e.seq())).name(e.type()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(JobUpdate.class, update(job, e)).build());
    }

    private static JobUpdate update(Job job, Job.Event e) {
        return new JobUpdate(Contract.VERSION, job.id.toString(), job.correlationId, e.seq(), e.type(), e.status(),
                e.step(), e.service(), e.role(), e.message(), e.question(), e.at());
    }

    @POST
    @Path("{id}/answers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer the job's question", description = "`answer` plus any optional input field, "
            + "merged into the job's inputs. 409 if the job asks nothing.")
    @RequestBody(content = @Content(schema = @Schema(implementation = JobAnswer.class)))
    public Response answer(@PathParam("id") UUID id, byte[] body) {
        JobAnswer answer = reader.readAnswer(body);
        if (answer.jobId() != null && !answer.jobId().equals(id.toString())) {
            throw new InvalidRequestException(InvalidRequestException.Kind.UNPROCESSABLE,
                    "jobId in the body differs from the path", List.of());
        }
        return Response.accepted(JobView.of(jobs.answer(id, caller.owner(), answer))).build();
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel the job", description = "409 if it already finished.")
    public Response cancel(@PathParam("id") UUID id) {
        return Response.accepted(JobView.of(jobs.cancel(id, caller.owner()))).build();
    }
}
