package dev.backendteam.orchestrator.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.JobInputs;
import dev.backendteam.contract.JobStatus;
import dev.backendteam.contract.Json;
import dev.backendteam.contract.ResultEvent;
import dev.backendteam.contract.Specialist;
import dev.backendteam.contract.TaskKind;
import dev.backendteam.contract.llm.ModelUsage;
import dev.backendteam.orchestrator.engine.FlowStep;
import dev.backendteam.orchestrator.engine.Job;
import dev.backendteam.orchestrator.engine.Step;
import dev.backendteam.orchestrator.engine.StepStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Loads and stores {@link Job}s, their timeline, processed-result keys and outbox rows (JDBC, job store). */
@ApplicationScoped
public class JobRepository {
    private static final ObjectMapper JSON = Json.events();
    private static final TypeReference<List<FlowStep>> PLAN = new TypeReference<>() {
    };

    public record Summary(UUID id, JobStatus status, String flow, String task, String correlationId,
            Instant createdAt, Instant updatedAt) {
    }

    public record Idempotent(UUID id, String requestHash) {
    }

    public record Overdue(UUID jobId, int seq) {
    }

    public record OutboxRow(long id, String topic, String key, String type, String payload) {
    }

    private static final String JOB_COLUMNS = "id, owner, task, correlation_id, idempotency_key, request_hash, "
            + "created_at, status, flow, inputs, plan, question, reason, handoff_depth, last_event, updated_at, "
            + "finished_at, usage";

    public Optional<Job> lock(Connection c, UUID id) throws SQLException {
        return load(c, id, " for update");
    }

    /** A job as stored, whoever owns it (the planner reads it outside any transaction that changes it). */
    public Optional<Job> load(Connection c, UUID id) throws SQLException {
        return load(c, id, "");
    }

    /** Jobs waiting for the planner: only they rest in {@code routing} between transactions. */
    public List<UUID> routing(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from jobs where status = 'routing' "
                + "order by updated_at limit ?")) {
            ps.setInt(1, limit);
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    /**
     * Claims a job waiting for the planner for {@code lease}: false when it no longer waits, or another planner holds
     * an unexpired claim on it.
     */
    public boolean claimForPlanning(Connection c, UUID id, java.time.Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update jobs set planner_lease = now() + ?::interval "
                + "where id = ? and status = 'routing' and (planner_lease is null or planner_lease < now())")) {
            ps.setString(1, lease.toSeconds() + " seconds");
            ps.setObject(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends a planner's claim (its plan applied, or given up). */
    public void releasePlanning(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update jobs set planner_lease = null where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    public Optional<Job> find(Connection c, UUID id, String owner) throws SQLException {
        Optional<Job> job = load(c, id, "");
        return job.filter(j -> j.owner.equals(owner));
    }

    private Optional<Job> load(Connection c, UUID id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + JOB_COLUMNS + " from jobs where id = ?" + lock)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Job job = new Job(id, rs.getString("owner"), rs.getString("task"),
                        rs.getString("correlation_id"), rs.getString("idempotency_key"), rs.getString("request_hash"),
                        instant(rs, "created_at"), JobStatus.of(rs.getString("status")), rs.getString("flow"),
                        read(rs.getString("inputs"), JobInputs.class), readPlan(rs.getString("plan")),
                        rs.getString("question"), rs.getString("reason"), rs.getInt("handoff_depth"),
                        rs.getInt("last_event"), instant(rs, "updated_at"), instant(rs, "finished_at"),
                        steps(c, id), artifacts(c, id), false);
                job.orchestratorUsage = usage(rs.getString("usage"));
                return Optional.of(job);
            }
        }
    }

    private List<Step> steps(Connection c, UUID id) throws SQLException {
        List<Step> steps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select seq, kind, service, role, origin, status, attempt, "
                + "retries, started_at, finished_at, deadline_at, reason, result, cause, usage from steps "
                + "where job_id = ? order by seq")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String result = rs.getString("result");
                    Step step = new Step(rs.getInt("seq"), TaskKind.of(rs.getString("kind")),
                            Specialist.of(rs.getString("service")), rs.getString("role"), rs.getString("origin"),
                            StepStatus.of(rs.getString("status")), rs.getInt("attempt"), rs.getInt("retries"),
                            instant(rs, "started_at"), instant(rs, "finished_at"), instant(rs, "deadline_at"),
                            rs.getString("reason"), result == null ? null : read(result, ResultEvent.class),
                            rs.getString("cause"));
                    step.usage = usage(rs.getString("usage"));
                    steps.add(step);
                }
            }
        }
        return steps;
    }

    private List<Job.StoredArtifact> artifacts(Connection c, UUID id) throws SQLException {
        List<Job.StoredArtifact> artifacts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select seq, step_seq, kind, name, content, down, produced_by "
                + "from artifacts where job_id = ? order by seq")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    artifacts.add(new Job.StoredArtifact(rs.getInt("seq"), rs.getInt("step_seq"),
                            new Artifact(ArtifactKind.of(rs.getString("kind")), rs.getString("name"),
                                    rs.getString("content"), rs.getString("down"), rs.getString("produced_by"))));
                }
            }
        }
        return artifacts;
    }

    /** Writes the job and everything that changed on it, its new events and its outgoing messages. */
    public void save(Connection c, Job job) throws SQLException {
        if (job.isCreated()) {
            try (PreparedStatement ps = c.prepareStatement("insert into jobs (" + JOB_COLUMNS + ") values "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                int i = 1;
                ps.setObject(i++, job.id);
                ps.setString(i++, job.owner);
                ps.setString(i++, job.task);
                ps.setString(i++, job.correlationId);
                ps.setString(i++, job.idempotencyKey);
                ps.setString(i++, job.requestHash);
                ps.setTimestamp(i++, Timestamp.from(job.createdAt));
                bindMutable(ps, i, job);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("update jobs set status = ?, flow = ?, inputs = ?::jsonb, "
                    + "plan = ?::jsonb, question = ?, reason = ?, handoff_depth = ?, last_event = ?, updated_at = ?, "
                    + "finished_at = ?, usage = ?::jsonb where id = ?")) {
                int i = bindMutable(ps, 1, job);
                ps.setObject(i, job.id);
                ps.executeUpdate();
            }
        }
        for (Step s : job.changedSteps()) {
            try (PreparedStatement ps = c.prepareStatement("insert into steps (job_id, seq, kind, service, role, "
                    + "origin, status, attempt, retries, started_at, finished_at, deadline_at, reason, result, cause, "
                    + "usage) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb) "
                    + "on conflict (job_id, seq) do update set "
                    + "status = excluded.status, attempt = excluded.attempt, retries = excluded.retries, "
                    + "started_at = excluded.started_at, finished_at = excluded.finished_at, "
                    + "deadline_at = excluded.deadline_at, reason = excluded.reason, result = excluded.result, "
                    + "usage = excluded.usage")) {
                ps.setObject(1, job.id);
                ps.setInt(2, s.seq);
                ps.setString(3, s.kind.wire());
                ps.setString(4, s.service.id());
                ps.setString(5, s.role);
                ps.setString(6, s.origin);
                ps.setString(7, s.status.wire());
                ps.setInt(8, s.attempt);
                ps.setInt(9, s.retries);
                ps.setTimestamp(10, ts(s.startedAt));
                ps.setTimestamp(11, ts(s.finishedAt));
                ps.setTimestamp(12, ts(s.deadline));
                ps.setString(13, s.reason);
                ps.setString(14, s.result == null ? null : Json.write(s.result));
                ps.setString(15, s.cause);
                ps.setString(16, usageJson(s.usage));
                ps.executeUpdate();
            }
        }
        if (!job.newArtifacts().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into artifacts (job_id, seq, step_seq, kind, name, "
                    + "content, down, produced_by) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Job.StoredArtifact a : job.newArtifacts()) {
                    ps.setObject(1, job.id);
                    ps.setInt(2, a.seq());
                    ps.setInt(3, a.stepSeq());
                    ps.setString(4, a.artifact().kind().wire());
                    ps.setString(5, a.artifact().name());
                    ps.setString(6, a.artifact().content());
                    ps.setString(7, a.artifact().down());
                    ps.setString(8, a.artifact().producedBy());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!job.newEvents().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into job_events (job_id, seq, type, status, step, "
                    + "service, role, message, question, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Job.Event e : job.newEvents()) {
                    ps.setObject(1, job.id);
                    ps.setInt(2, e.seq());
                    ps.setString(3, e.type());
                    ps.setString(4, e.status().wire());
                    if (e.step() == null) {
                        ps.setNull(5, Types.INTEGER);
                    } else {
                        ps.setInt(5, e.step());
                    }
                    ps.setString(6, e.service() == null ? null : e.service().id());
                    ps.setString(7, e.role());
                    ps.setString(8, e.message());
                    ps.setString(9, e.question());
                    ps.setTimestamp(10, ts(e.at()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!job.outgoing().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (topic, key, type, payload) "
                    + "values (?, ?, ?, ?)")) {
                for (Job.Outgoing o : job.outgoing()) {
                    ps.setString(1, o.topic());
                    ps.setString(2, o.key());
                    ps.setString(3, o.type());
                    ps.setString(4, o.payload());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static int bindMutable(PreparedStatement ps, int i, Job job) throws SQLException {
        ps.setString(i++, job.status.wire());
        ps.setString(i++, job.flow);
        ps.setString(i++, Json.write(job.inputs));
        ps.setString(i++, Json.write(job.plan));
        ps.setString(i++, job.question);
        ps.setString(i++, job.reason);
        ps.setInt(i++, job.handoffDepth);
        ps.setInt(i++, job.lastEvent);
        ps.setTimestamp(i++, ts(job.updatedAt));
        ps.setTimestamp(i++, ts(job.finishedAt));
        ps.setString(i++, usageJson(job.orchestratorUsage));
        return i;
    }

    /** Records that a result was applied; false when it already was (a duplicate or a replay). */
    public boolean markProcessed(Connection c, UUID jobId, int step, int attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into processed_results (job_id, step_seq, attempt) "
                + "values (?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, jobId);
            ps.setInt(2, step);
            ps.setInt(3, attempt);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<Idempotent> byIdempotencyKey(Connection c, String owner, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, request_hash from jobs where owner = ? "
                + "and idempotency_key = ?")) {
            ps.setString(1, owner);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Idempotent(rs.getObject(1, UUID.class), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** Newest first, keyset-paged: {@code before} is the (created_at, id) of the last row of the previous page. */
    public List<Summary> page(Connection c, String owner, Instant beforeCreated, UUID beforeId, int limit)
            throws SQLException {
        String sql = "select id, status, flow, task, correlation_id, created_at, updated_at from jobs where owner = ? "
                + (beforeCreated == null ? "" : "and (created_at, id) < (?, ?) ")
                + "order by created_at desc, id desc limit ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, owner);
            if (beforeCreated != null) {
                ps.setTimestamp(i++, Timestamp.from(beforeCreated));
                ps.setObject(i++, beforeId);
            }
            ps.setInt(i, limit);
            List<Summary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Summary(rs.getObject("id", UUID.class), JobStatus.of(rs.getString("status")),
                            rs.getString("flow"), rs.getString("task"), rs.getString("correlation_id"),
                            instant(rs, "created_at"), instant(rs, "updated_at")));
                }
            }
            return out;
        }
    }

    public List<Job.Event> events(Connection c, UUID jobId, String owner, int afterSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select e.seq, e.type, e.status, e.step, e.service, e.role, "
                + "e.message, e.question, e.at from job_events e join jobs j on j.id = e.job_id "
                + "where e.job_id = ? and j.owner = ? and e.seq > ? order by e.seq")) {
            ps.setObject(1, jobId);
            ps.setString(2, owner);
            ps.setInt(3, afterSeq);
            List<Job.Event> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int step = rs.getInt("step");
                    Integer stepOrNull = rs.wasNull() ? null : step;
                    String service = rs.getString("service");
                    out.add(new Job.Event(rs.getInt("seq"), rs.getString("type"), JobStatus.of(rs.getString("status")),
                            stepOrNull, service == null ? null : Specialist.of(service), rs.getString("role"),
                            rs.getString("message"), rs.getString("question"), instant(rs, "at")));
                }
            }
            return out;
        }
    }

    public List<Overdue> overdue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select job_id, seq from steps where status = 'running' "
                + "and deadline_at < ? order by deadline_at limit ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            List<Overdue> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Overdue(rs.getObject(1, UUID.class), rs.getInt(2)));
                }
            }
            return out;
        }
    }

    /**
     * Takes the oldest outbox rows under a transaction-scoped advisory lock, so that one relay at a time publishes
     * and per-job order is kept even with several orchestrator replicas.
     */
    public List<OutboxRow> takeOutbox(Connection c, int limit) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(7347001)");
                ResultSet rs = lock.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return List.of();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select id, topic, key, type, payload from outbox "
                + "order by id limit ?")) {
            ps.setInt(1, limit);
            List<OutboxRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return out;
        }
    }

    /** Deletes exactly the rows sent: a row with a lower id may commit later and must not be lost. */
    public void deleteOutbox(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from outbox where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt " + type.getSimpleName() + " in the job store", e);
        }
    }

    private static ModelUsage usage(String json) {
        return json == null ? ModelUsage.NONE : read(json, ModelUsage.class);
    }

    private static String usageJson(ModelUsage usage) {
        return usage == null || usage.isEmpty() ? null : Json.write(usage);
    }

    private static List<FlowStep> readPlan(String json) {
        try {
            return JSON.readValue(json, PLAN);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt plan in the job store", e);
        }
    }
}
