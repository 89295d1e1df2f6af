-- Allow-list for CREATE EXTENSION (superuser admin only: event triggers need a superuser). Untrusted extensions
-- are refused by PostgreSQL itself (the runner is no superuser); this refuses trusted ones not on the list.
-- {{allowed}} is a SQL array literal of extension names.
create or replace function extensions.sandbox_extension_guard() returns event_trigger
    language plpgsql
    set search_path = pg_catalog
as $$
declare
  cmd record;
  allowed text[] := {{allowed}};
begin
  for cmd in select * from pg_event_trigger_ddl_commands() loop
    if cmd.object_type = 'extension'
       and not exists (select 1 from unnest(allowed) a where quote_ident(a) = cmd.object_identity) then
      raise exception 'extension % is not allowed in the sandbox', cmd.object_identity
        using errcode = '42501',
              hint = 'Allowed extensions: ' || array_to_string(allowed, ', ');
    end if;
  end loop;
end
$$;
revoke all on function extensions.sandbox_extension_guard() from public;

create event trigger sandbox_extension_guard on ddl_command_end
    when tag in ('CREATE EXTENSION')
    execute function extensions.sandbox_extension_guard();
