-- The migrations db-architect writes for the spec of deploy/examples/new-feature.yaml (its output, kept as the
-- security tests' input so that they need no other specialist). Regenerate when db-architect's output changes.
-- migration: create_set_updated_at_function
-- The trigger function every table's updated_at trigger calls: keeps updated_at at the time of the last update.
-- A fixed, empty search_path: the function resolves nothing through the caller's path.
set lock_timeout = '5s';
set statement_timeout = '60s';

create or replace function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- migration: create_organization
-- organization: table.
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.organization (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace trigger organization_set_updated_at
  before update on public.organization
  for each row execute function public.set_updated_at();

alter table public.organization enable row level security;

-- migration: create_membership
-- membership: membership of users in organization, with a role.
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.membership (
  organization_id uuid not null constraint membership_organization_id_fkey references public.organization (id) on delete cascade,
  user_id uuid not null constraint membership_user_id_fkey references auth.users (id) on delete cascade,
  role text not null default 'member' constraint membership_role_check check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint membership_pkey primary key (organization_id, user_id)
);

create index if not exists idx_membership_user_id on public.membership (user_id);

create or replace trigger membership_set_updated_at
  before update on public.membership
  for each row execute function public.set_updated_at();

alter table public.membership enable row level security;

-- migration: create_project
-- project: table; rows of a tenant (organization).
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.project (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null constraint project_organization_id_fkey references public.organization (id) on delete cascade,
  name text not null,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index if not exists idx_project_organization_id on public.project (organization_id);

create or replace trigger project_set_updated_at
  before update on public.project
  for each row execute function public.set_updated_at();

alter table public.project enable row level security;

-- migration: create_task
-- task: table; belongs to project (project_id); owned by the signed-in user (user_id); soft delete (deleted_at).
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.task (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null constraint task_project_id_fkey references public.project (id) on delete cascade,
  user_id uuid not null default auth.uid() constraint task_user_id_fkey references auth.users (id) on delete cascade,
  title text not null,
  status text not null default 'todo' constraint task_status_check check (status in ('todo', 'doing', 'done')),
  due_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index if not exists idx_task_project_id on public.task (project_id);
create index if not exists idx_task_user_id on public.task (user_id);

create or replace trigger task_set_updated_at
  before update on public.task
  for each row execute function public.set_updated_at();

alter table public.task enable row level security;

comment on column public.task.user_id is 'The signed-in user who created the row.';
comment on column public.task.deleted_at is 'Set when the row is deleted (soft delete); live rows have null.';

-- migration: create_profile
-- profile: table; owned by the signed-in user (user_id); readable by anyone.
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.profile (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() constraint profile_user_id_fkey references auth.users (id) on delete cascade,
  display_name text not null,
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index if not exists idx_profile_user_id on public.profile (user_id);

create or replace trigger profile_set_updated_at
  before update on public.profile
  for each row execute function public.set_updated_at();

alter table public.profile enable row level security;

comment on column public.profile.user_id is 'The signed-in user who created the row.';

-- migration: create_audit_event
-- audit_event: table; service role only.
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.audit_event (
  id uuid primary key default gen_random_uuid(),
  action text not null,
  payload jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace trigger audit_event_set_updated_at
  before update on public.audit_event
  for each row execute function public.set_updated_at();

alter table public.audit_event enable row level security;

-- migration: create_tag
-- tag: table.
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.tag (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace trigger tag_set_updated_at
  before update on public.tag
  for each row execute function public.set_updated_at();

alter table public.tag enable row level security;

-- migration: create_task_tag
-- task_tag: joins task and tag (n:m).
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.task_tag (
  task_id uuid not null constraint task_tag_task_id_fkey references public.task (id) on delete cascade,
  tag_id uuid not null constraint task_tag_tag_id_fkey references public.tag (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint task_tag_pkey primary key (task_id, tag_id)
);

create index if not exists idx_task_tag_tag_id on public.task_tag (tag_id);

create or replace trigger task_tag_set_updated_at
  before update on public.task_tag
  for each row execute function public.set_updated_at();

alter table public.task_tag enable row level security;

