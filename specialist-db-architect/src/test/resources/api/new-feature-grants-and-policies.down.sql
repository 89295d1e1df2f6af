-- Restores the grants, row level security and policies as they were before.
set lock_timeout = '5s';
set statement_timeout = '60s';

-- public.audit_event
revoke all on table public.audit_event from public, anon, authenticated, service_role;
alter table public.audit_event enable row level security;

-- public.membership
drop policy if exists membership_select_authenticated on public.membership;
drop policy if exists membership_insert_authenticated on public.membership;
drop policy if exists membership_update_authenticated on public.membership;
drop policy if exists membership_delete_authenticated on public.membership;
revoke all on table public.membership from public, anon, authenticated, service_role;
alter table public.membership enable row level security;

-- public.organization
drop policy if exists organization_select_authenticated on public.organization;
drop policy if exists organization_insert_authenticated on public.organization;
drop policy if exists organization_update_authenticated on public.organization;
drop policy if exists organization_delete_authenticated on public.organization;
revoke all on table public.organization from public, anon, authenticated, service_role;
alter table public.organization enable row level security;

-- public.profile
drop policy if exists profile_select_anon on public.profile;
drop policy if exists profile_select_authenticated on public.profile;
drop policy if exists profile_insert_authenticated on public.profile;
drop policy if exists profile_update_authenticated on public.profile;
drop policy if exists profile_delete_authenticated on public.profile;
revoke all on table public.profile from public, anon, authenticated, service_role;
alter table public.profile enable row level security;

-- public.project
drop policy if exists project_select_authenticated on public.project;
drop policy if exists project_insert_authenticated on public.project;
drop policy if exists project_update_authenticated on public.project;
drop policy if exists project_delete_authenticated on public.project;
revoke all on table public.project from public, anon, authenticated, service_role;
alter table public.project enable row level security;

-- public.tag
drop policy if exists tag_select_authenticated on public.tag;
revoke all on table public.tag from public, anon, authenticated, service_role;
alter table public.tag enable row level security;

-- public.task
drop policy if exists task_select_authenticated on public.task;
drop policy if exists task_insert_authenticated on public.task;
drop policy if exists task_update_authenticated on public.task;
drop policy if exists task_delete_authenticated on public.task;
revoke all on table public.task from public, anon, authenticated, service_role;
alter table public.task enable row level security;

-- public.task_tag
drop policy if exists task_tag_select_authenticated on public.task_tag;
drop policy if exists task_tag_insert_authenticated on public.task_tag;
drop policy if exists task_tag_delete_authenticated on public.task_tag;
revoke all on table public.task_tag from public, anon, authenticated, service_role;
alter table public.task_tag enable row level security;

drop trigger if exists organization_add_creator on public.organization;
drop function if exists private.is_organization_member(uuid, text[]);
drop function if exists private.add_organization_creator();
drop schema if exists private;
