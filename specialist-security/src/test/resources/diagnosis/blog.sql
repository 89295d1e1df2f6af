-- A Supabase blog as deployed: posts and their comments, RLS on, grants explicit (the 2026 model). Comments can be
-- read and deleted by their author, but nothing lets a signed-in user insert one: the tests add the insert grant
-- (→ "new row violates row-level security policy", no insert policy) or the insert policy (→ "permission denied").
create table public.posts (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references auth.users (id) on delete cascade,
    title text not null,
    created_at timestamptz not null default now()
);
create index idx_posts_user_id on public.posts (user_id);

create table public.comments (
    id uuid primary key default gen_random_uuid(),
    post_id uuid not null references public.posts (id) on delete cascade,
    user_id uuid not null references auth.users (id) on delete cascade,
    body text not null,
    created_at timestamptz not null default now()
);
create index idx_comments_post_id on public.comments (post_id);
create index idx_comments_user_id on public.comments (user_id);

alter table public.posts enable row level security;
alter table public.comments enable row level security;

grant select, insert, delete on table public.posts to authenticated;
grant update (title) on table public.posts to authenticated;
grant select, insert, update, delete on table public.posts to service_role;
grant select, delete on table public.comments to authenticated;
grant update (body) on table public.comments to authenticated;
grant select, insert, update, delete on table public.comments to service_role;

create policy posts_select_authenticated on public.posts for select to authenticated
    using (user_id = (select auth.uid()));
create policy posts_insert_authenticated on public.posts for insert to authenticated
    with check (user_id = (select auth.uid()));
create policy posts_update_authenticated on public.posts for update to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy posts_delete_authenticated on public.posts for delete to authenticated
    using (user_id = (select auth.uid()));

create policy comments_select_authenticated on public.comments for select to authenticated
    using (exists (select 1 from public.posts p where p.id = comments.post_id));
create policy comments_update_authenticated on public.comments for update to authenticated
    using (user_id = (select auth.uid()) and exists (select 1 from public.posts p where p.id = comments.post_id))
    with check (user_id = (select auth.uid()) and exists (select 1 from public.posts p where p.id = comments.post_id));
create policy comments_delete_authenticated on public.comments for delete to authenticated
    using (user_id = (select auth.uid()) and exists (select 1 from public.posts p where p.id = comments.post_id));
