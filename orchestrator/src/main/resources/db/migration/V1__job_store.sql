-- The orchestrator's job store. Every state change, its processed-result key, its timeline event and the
-- messages it publishes are written in one transaction (outbox), so a crash never leaves them out of step.

create table jobs (
    id              uuid primary key,
    owner           text not null,
    status          text not null,
    flow            text,
    task            text not null,
    inputs          jsonb not null,
    plan            jsonb not null default '[]'::jsonb,
    correlation_id  text,
    idempotency_key text,
    request_hash    text,
    question        text,
    reason          text,
    handoff_depth   integer not null default 0,
    last_event      integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    finished_at     timestamptz,
    constraint jobs_status_check check (status in
        ('queued', 'routing', 'running', 'needs_input', 'validating', 'completed', 'failed', 'cancelled')),
    constraint jobs_owner_idempotency_key_key unique (owner, idempotency_key)
);
create index idx_jobs_owner_created_at_id on jobs (owner, created_at desc, id desc);

create table steps (
    job_id      uuid not null references jobs (id) on delete cascade,
    seq         integer not null,
    kind        text not null check (kind in ('work', 'validate')),
    service     text not null,
    role        text,
    origin      text not null default 'flow' check (origin in ('flow', 'handoff', 'validation')),
    status      text not null check (status in
        ('running', 'succeeded', 'failed', 'needs_input', 'skipped', 'cancelled')),
    attempt     integer not null default 1,
    retries     integer not null default 0,
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    deadline_at timestamptz,
    reason      text,
    result      jsonb,
    primary key (job_id, seq)
);
create index idx_steps_deadline_at_running on steps (deadline_at) where status = 'running';

create table artifacts (
    job_id      uuid not null references jobs (id) on delete cascade,
    seq         integer not null,
    step_seq    integer not null,
    kind        text not null,
    name        text not null,
    content     text,
    down        text,
    produced_by text,
    primary key (job_id, seq),
    foreign key (job_id, step_seq) references steps (job_id, seq) on delete cascade
);
create index idx_artifacts_job_id_step_seq on artifacts (job_id, step_seq);

-- A result is applied at most once: its key is inserted in the same transaction as the state change.
create table processed_results (
    job_id       uuid not null references jobs (id) on delete cascade,
    step_seq     integer not null,
    attempt      integer not null,
    processed_at timestamptz not null default now(),
    primary key (job_id, step_seq, attempt)
);

-- The job's timeline: served as Server-Sent Events and mirrored on backend-team.jobs.updates.
create table job_events (
    job_id   uuid not null references jobs (id) on delete cascade,
    seq      integer not null,
    type     text not null,
    status   text not null,
    step     integer,
    service  text,
    role     text,
    message  text,
    question text,
    at       timestamptz not null default now(),
    primary key (job_id, seq)
);

-- Transactional outbox: the relay publishes rows in id order and deletes them once Kafka acknowledged.
create table outbox (
    id         bigint generated always as identity primary key,
    topic      text not null,
    key        text not null,
    type       text not null,
    payload    text not null,
    created_at timestamptz not null default now()
);
