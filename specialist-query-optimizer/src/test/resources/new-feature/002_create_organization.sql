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
