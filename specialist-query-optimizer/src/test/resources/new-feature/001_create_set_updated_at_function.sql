-- The trigger function every table's updated_at trigger calls: keeps updated_at at the time of the last update.
-- A fixed, empty search_path: the function resolves nothing through the caller's path.
set lock_timeout = '5s';
set statement_timeout = '60s';

create or replace function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
