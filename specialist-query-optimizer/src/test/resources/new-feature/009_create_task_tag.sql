-- task_tag: joins task and tag (n:m).
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.task_tag (
  task_id uuid not null constraint task_tag_task_id_fkey references public.task (id) on delete cascade,
  tag_id uuid not null constraint task_tag_tag_id_fkey references public.tag (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint task_tag_pkey primary key (task_id, tag_id)
);

create index if not exists idx_task_tag_tag_id on public.task_tag (tag_id);

create or replace trigger task_tag_set_updated_at
  before update on public.task_tag
  for each row execute function public.set_updated_at();

alter table public.task_tag enable row level security;
