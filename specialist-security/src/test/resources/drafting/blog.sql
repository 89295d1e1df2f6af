-- A plain-words job's schema: posts and their comments, written by signed-in users, with no access intent declared
-- (no spec, no policies): "anyone signed in reads, only the author edits or deletes".
create table public.posts (
    id uuid primary key default gen_random_uuid(),
    author_id uuid not null references auth.users (id) on delete cascade,
    title text not null,
    body text not null,
    created_at timestamptz not null default now()
);
create index idx_posts_author_id on public.posts (author_id);

create table public.comments (
    id uuid primary key default gen_random_uuid(),
    post_id uuid not null references public.posts (id) on delete cascade,
    author_id uuid not null references auth.users (id) on delete cascade,
    body text not null,
    created_at timestamptz not null default now()
);
create index idx_comments_post_id on public.comments (post_id);
create index idx_comments_author_id on public.comments (author_id);
