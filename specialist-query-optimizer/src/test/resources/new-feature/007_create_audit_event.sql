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
