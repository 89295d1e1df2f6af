-- Policies that recurse: PostgreSQL refuses every statement that reaches them with 42P17
-- "infinite recursion detected in policy for relation …" (for a role RLS applies to; the table owner is exempt).
-- Applies cleanly (the error is raised when a statement runs, not when a policy is created) as a non-superuser
-- owner on PostgreSQL 15 and 17. recursion/expected.yaml names the cycles.

-- 1. Mutual recursion: a document is visible to those it is shared with, a share to the owner of its document.
create table public.documents (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null
);
create index documents_owner_id_idx on public.documents (owner_id);

create table public.shares (
  document_id uuid not null references public.documents (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  primary key (document_id, user_id)
);
create index shares_user_id_idx on public.shares (user_id);

alter table public.documents enable row level security;
alter table public.shares enable row level security;

-- documents → shares
create policy documents_select on public.documents for select to authenticated
  using (
    owner_id = (select auth.uid())
    or exists (select 1 from public.shares s where s.document_id = documents.id and s.user_id = (select auth.uid()))
  );

-- shares → documents (closes the cycle)
create policy shares_select on public.shares for select to authenticated
  using (
    user_id = (select auth.uid())
    or exists (select 1 from public.documents d where d.id = shares.document_id and d.owner_id = (select auth.uid()))
  );

-- Reads documents too, but no select policy reads shares' insert policy back: it reaches the cycle (its statements
-- fail with 42P17) without being part of it.
create policy shares_insert on public.shares for insert to authenticated
  with check (exists (select 1 from public.documents d where d.id = document_id and d.owner_id = (select auth.uid())));

-- Not part of any cycle: reads no table.
create policy documents_insert on public.documents for insert to authenticated
  with check (owner_id = (select auth.uid()));

grant select, insert on public.documents, public.shares to authenticated;
grant all on public.documents, public.shares to service_role;

-- 2. The classic: a membership table whose own select policy reads the membership table.
create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null
);

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);

alter table public.teams enable row level security;
alter table public.team_members enable row level security;

-- team_members → team_members
create policy team_members_select on public.team_members for select to authenticated
  using (team_id in (select m.team_id from public.team_members m where m.user_id = (select auth.uid())));

-- Reaches the cycle without being part of it.
create policy teams_select on public.teams for select to authenticated
  using (id in (select m.team_id from public.team_members m where m.user_id = (select auth.uid())));

grant select on public.teams, public.team_members to authenticated;
grant all on public.teams, public.team_members to service_role;
