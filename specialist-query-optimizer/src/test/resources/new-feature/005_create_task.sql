-- task: table; belongs to project (project_id); owned by the signed-in user (user_id); soft delete (deleted_at).
-- Row level security is enabled with no policy yet: the security specialist writes the policies; until then only the service role reaches the rows.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table if not exists public.task (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null constraint task_project_id_fkey references public.project (id) on delete cascade,
  user_id uuid not null default auth.uid() constraint task_user_id_fkey references auth.users (id) on delete cascade,
  title text not null,
  status text not null default 'todo' constraint task_status_check check (status in ('todo', 'doing', 'done')),
  due_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index if not exists idx_task_project_id on public.task (project_id);
create index if not exists idx_task_user_id on public.task (user_id);

create or replace trigger task_set_updated_at
  before update on public.task
  for each row execute function public.set_updated_at();

alter table public.task enable row level security;

comment on column public.task.user_id is 'The signed-in user who created the row.';
comment on column public.task.deleted_at is 'Set when the row is deleted (soft delete); live rows have null.';
