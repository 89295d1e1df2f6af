-- api-data and websocket became roles of db-architect, edge-functions a role of ops (BRIEF §1, 2026-12-01): the
-- steps, timeline events and plans stored under the old service names move to the service that hosts the role.
-- Those steps were only ever skipped (never sent), so no result or task refers to them.

update steps set role = service, service = 'db-architect' where service in ('api-data', 'websocket');
update steps set role = service, service = 'ops' where service = 'edge-functions';

update job_events set role = service, service = 'db-architect' where service in ('api-data', 'websocket');
update job_events set role = service, service = 'ops' where service = 'edge-functions';

update jobs
set plan = (
    select coalesce(jsonb_agg(
        case
            when step ->> 'service' in ('api-data', 'websocket')
                then step || jsonb_build_object('service', 'db-architect', 'role', step ->> 'service')
            when step ->> 'service' = 'edge-functions'
                then step || jsonb_build_object('service', 'ops', 'role', 'edge-functions')
            else step
        end order by position), '[]'::jsonb)
    from jsonb_array_elements(plan) with ordinality as planned(step, position)
)
where jsonb_typeof(plan) = 'array'
  and exists (select 1 from jsonb_array_elements(plan) step
              where step ->> 'service' in ('api-data', 'websocket', 'edge-functions'));
