-- Model usage (BRIEF §6a). A result holds the model calls of its own attempt, and a retried step's result is
-- replaced, so a step keeps the calls of all its attempts here; a job keeps the calls the orchestrator made for it
-- itself (planning). Both are a ModelUsage as JSON, null while there is none.

alter table steps add column if not exists usage jsonb;
alter table jobs add column if not exists usage jsonb;

-- Results stored before this migration carry their attempt's calls: those are what the step is known to have spent.
update steps set usage = result -> 'usage'
where jsonb_typeof(result -> 'usage' -> 'calls') = 'array' and jsonb_array_length(result -> 'usage' -> 'calls') > 0;
