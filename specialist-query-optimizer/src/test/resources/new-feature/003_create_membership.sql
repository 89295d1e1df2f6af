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
