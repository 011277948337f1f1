-- Included by the Citus suites (psql variable n): makes the next n workspaces created through the
-- coordinator land on both workers, whatever the suites before created. Workspace ids come from
-- the coordinator's sequence, one after another, and the shard of an id is fixed: while the next n
-- ids would all hash to shards on one worker, a spacer workspace takes the next id.
SELECT set_config('pg_actions_test.spread', :'n', false) \g /dev/null
DO $$
DECLARE
    want constant integer := current_setting('pg_actions_test.spread')::integer;
    next_id bigint;
BEGIN
    FOR attempt IN 1..64 LOOP
        next_id := coalesce(pg_sequence_last_value(pg_get_serial_sequence('actions.workspace', 'workspace_id')::regclass), 0) + 1;
        IF (SELECT count(DISTINCT p.groupid)
              FROM generate_series(next_id, next_id + want - 1) id
              JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('actions.workspace', id)) >= 2 THEN
            RETURN;
        END IF;
        PERFORM actions.create_workspace('Spacer');
    END LOOP;
    RAISE EXCEPTION 'the next % workspace ids never spread over two workers', want;
END
$$;
