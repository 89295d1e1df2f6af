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
