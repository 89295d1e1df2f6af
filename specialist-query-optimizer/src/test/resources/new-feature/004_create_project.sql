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
