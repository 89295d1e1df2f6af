-- Installed instead of the moddatetime extension when the admin may not create it (it is untrusted, so only a
-- superuser can): same name, schema and trigger signature, so "execute procedure moddatetime(updated_at)" works.
create or replace function extensions.moddatetime() returns trigger
    language plpgsql
    set search_path = pg_catalog
as $$
begin
  if tg_nargs <> 1 then
    raise exception 'moddatetime: expected one argument (the column to set), got %', tg_nargs;
  end if;
  new := jsonb_populate_record(new, jsonb_build_object(tg_argv[0], now()));
  return new;
end
$$;
grant execute on function extensions.moddatetime() to {{runner}}, anon, authenticated, service_role;
