-- Grants and row level security from the access intent (security specialist).
-- Explicit grants: each Data API role gets only what its rules need; one policy per operation and role.
set lock_timeout = '5s';
set statement_timeout = '60s';

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;

-- Whether the signed-in user is a member of the tenant (with one of the roles, when given). Security
-- definer, so policies never read the membership table under its own policies (no recursion).
create or replace function private.is_organization_member(tenant uuid, roles text[] default null)
    returns boolean
    language sql
    stable
    security definer
    set search_path = ''
as $$
  select exists (
    select 1 from public.membership m
     where m.organization_id = tenant
       and m.user_id = (select auth.uid())
       and (roles is null or m.role = any (roles)));
$$;
revoke all on function private.is_organization_member(uuid, text[]) from public, anon;
grant execute on function private.is_organization_member(uuid, text[]) to authenticated;

-- Tenant bootstrap: whoever creates a organization becomes its owner, in the same transaction.
create or replace function private.add_organization_creator()
    returns trigger
    language plpgsql
    security definer
    set search_path = ''
as $$
begin
  if (select auth.uid()) is not null then
    insert into public.membership (organization_id, user_id, role)
    values (new.id, (select auth.uid()), 'owner');
  end if;
  return new;
end
$$;
revoke all on function private.add_organization_creator() from public, anon, authenticated;
drop trigger if exists organization_add_creator on public.organization;
create trigger organization_add_creator after insert on public.organization for each row execute function private.add_organization_creator();

-- public.audit_event: marker (serviceOnly)
alter table public.audit_event enable row level security;
revoke all on table public.audit_event from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.audit_event to service_role;

-- public.membership: marker (tenantMembership)
alter table public.membership enable row level security;
revoke all on table public.membership from public, anon, authenticated, service_role;
grant select, insert, delete on table public.membership to authenticated;
grant update (role, updated_at) on table public.membership to authenticated;
grant select, insert, update, delete on table public.membership to service_role;
create policy membership_select_authenticated on public.membership
    for select to authenticated
    using (private.is_organization_member(membership.organization_id));
create policy membership_insert_authenticated on public.membership
    for insert to authenticated
    with check (private.is_organization_member(membership.organization_id, array['owner']));
create policy membership_update_authenticated on public.membership
    for update to authenticated
    using (private.is_organization_member(membership.organization_id, array['owner']))
    with check (private.is_organization_member(membership.organization_id, array['owner']));
create policy membership_delete_authenticated on public.membership
    for delete to authenticated
    using (private.is_organization_member(membership.organization_id, array['owner']));

-- public.organization: marker (tenant of a membership)
alter table public.organization enable row level security;
revoke all on table public.organization from public, anon, authenticated, service_role;
grant select, insert, delete on table public.organization to authenticated;
grant update (name, updated_at) on table public.organization to authenticated;
grant select, insert, update, delete on table public.organization to service_role;
create policy organization_select_authenticated on public.organization
    for select to authenticated
    using (private.is_organization_member(organization.id));
create policy organization_insert_authenticated on public.organization
    for insert to authenticated
    with check (true);
create policy organization_update_authenticated on public.organization
    for update to authenticated
    using (private.is_organization_member(organization.id, array['owner']))
    with check (private.is_organization_member(organization.id, array['owner']));
create policy organization_delete_authenticated on public.organization
    for delete to authenticated
    using (private.is_organization_member(organization.id, array['owner']));

-- public.profile: marker (publicRead, owner)
alter table public.profile enable row level security;
revoke all on table public.profile from public, anon, authenticated, service_role;
grant select on table public.profile to anon;
grant select, insert, delete on table public.profile to authenticated;
grant update (display_name, avatar_url, updated_at) on table public.profile to authenticated;
grant select, insert, update, delete on table public.profile to service_role;
create policy profile_select_anon on public.profile
    for select to anon
    using (true);
create policy profile_select_authenticated on public.profile
    for select to authenticated
    using (true);
create policy profile_insert_authenticated on public.profile
    for insert to authenticated
    with check (user_id = (select auth.uid()));
create policy profile_update_authenticated on public.profile
    for update to authenticated
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));
create policy profile_delete_authenticated on public.profile
    for delete to authenticated
    using (user_id = (select auth.uid()));

-- public.project: marker (tenant)
alter table public.project enable row level security;
revoke all on table public.project from public, anon, authenticated, service_role;
grant select, insert, delete on table public.project to authenticated;
grant update (name, archived_at, updated_at) on table public.project to authenticated;
grant select, insert, update, delete on table public.project to service_role;
create policy project_select_authenticated on public.project
    for select to authenticated
    using (private.is_organization_member(project.organization_id));
create policy project_insert_authenticated on public.project
    for insert to authenticated
    with check (private.is_organization_member(project.organization_id));
create policy project_update_authenticated on public.project
    for update to authenticated
    using (private.is_organization_member(project.organization_id))
    with check (private.is_organization_member(project.organization_id));
create policy project_delete_authenticated on public.project
    for delete to authenticated
    using ((private.is_organization_member(project.organization_id, array['owner'])) or (private.is_organization_member(project.organization_id, array['admin'])));

-- public.tag: default
alter table public.tag enable row level security;
revoke all on table public.tag from public, anon, authenticated, service_role;
grant select on table public.tag to authenticated;
grant select, insert, update, delete on table public.tag to service_role;
create policy tag_select_authenticated on public.tag
    for select to authenticated
    using (true);

-- public.task: marker (owner, belongsTo)
alter table public.task enable row level security;
revoke all on table public.task from public, anon, authenticated, service_role;
grant select, insert, delete on table public.task to authenticated;
grant update (title, status, due_at, deleted_at, updated_at) on table public.task to authenticated;
grant select, insert, update, delete on table public.task to service_role;
create policy task_select_authenticated on public.task
    for select to authenticated
    using (exists (select 1 from public.project p where p.id = task.project_id));
create policy task_insert_authenticated on public.task
    for insert to authenticated
    with check (user_id = (select auth.uid()) and exists (select 1 from public.project p where p.id = task.project_id));
create policy task_update_authenticated on public.task
    for update to authenticated
    using (user_id = (select auth.uid()) and exists (select 1 from public.project p where p.id = task.project_id))
    with check (user_id = (select auth.uid()) and exists (select 1 from public.project p where p.id = task.project_id));
create policy task_delete_authenticated on public.task
    for delete to authenticated
    using (user_id = (select auth.uid()) and exists (select 1 from public.project p where p.id = task.project_id));

-- public.task_tag: marker (manyToMany)
alter table public.task_tag enable row level security;
revoke all on table public.task_tag from public, anon, authenticated, service_role;
grant select, insert, delete on table public.task_tag to authenticated;
grant select, insert, update, delete on table public.task_tag to service_role;
create policy task_tag_select_authenticated on public.task_tag
    for select to authenticated
    using (exists (select 1 from public.task p where p.id = task_tag.task_id) and exists (select 1 from public.tag p where p.id = task_tag.tag_id));
create policy task_tag_insert_authenticated on public.task_tag
    for insert to authenticated
    with check (exists (select 1 from public.task p where p.id = task_tag.task_id) and exists (select 1 from public.tag p where p.id = task_tag.tag_id));
create policy task_tag_delete_authenticated on public.task_tag
    for delete to authenticated
    using (exists (select 1 from public.task p where p.id = task_tag.task_id) and exists (select 1 from public.tag p where p.id = task_tag.tag_id));

