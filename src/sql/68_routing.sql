-- pg_actions install script, part 68: which functions run on the node holding their workspace.
-- On Citus (docs/design.md, "On Citus"), every function that takes the workspace it works in is a
-- distributed function colocated with actions.workspace, so a call through the coordinator is
-- sent, whole, to the node holding that workspace's shards: one task, one round trip. The list is
-- read from the catalog, so a new function taking `workspace_id` is routed without being named
-- here. On a single node nothing here runs.

CREATE FUNCTION actions.routed_functions()
    RETURNS TABLE (fn regprocedure, distribution_arg name)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$
SELECT p.oid::regprocedure, a.name
  FROM pg_proc p
 CROSS JOIN LATERAL (
        SELECT arg.name::name AS name
          FROM unnest(p.proargnames,
                      coalesce(p.proargmodes,
                               array_fill('i'::"char", ARRAY[cardinality(p.proargnames)])),
                      coalesce(p.proallargtypes, p.proargtypes::oid[]))
               AS arg(name, mode, type)
         WHERE arg.mode IN ('i', 'b') AND arg.type = 'bigint'::regtype
           AND arg.name IN ('workspace_id', 'in_workspace')
         LIMIT 1) a
 WHERE p.pronamespace = 'actions'::regnamespace
   AND p.prokind = 'f'
   AND p.proargnames IS NOT NULL
   -- The questions row-level security asks per row run where the row is.
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_policy'::regclass
                      AND d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid)
   -- A function given a table of the coordinator's (track_table) works on the coordinator's catalog.
   AND NOT ('regclass'::regtype = ANY (p.proargtypes::oid[]))
 ORDER BY p.oid::regprocedure::text
$$;
COMMENT ON FUNCTION actions.routed_functions() IS
    'The functions that run on the node holding their workspace on Citus (actions.distribute() makes each a distributed function colocated with actions.workspace), and the argument naming the workspace: every function of the schema taking a bigint workspace_id, apart from those row-level security calls and those given a table';
REVOKE ALL ON FUNCTION actions.routed_functions() FROM PUBLIC;

-- Called by actions.distribute() (on the coordinator, Citus installed, actions.workspace
-- distributed): makes each routed function a distributed function, delegated also inside a
-- transaction block (force_delegation: PostgREST and most pools call inside one). Returns how many
-- it distributed now; 0 when every one already was.
CREATE FUNCTION actions.distribute_functions() RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    f record;
    n integer := 0;
BEGIN
    FOR f IN
        SELECT r.fn, r.distribution_arg
          FROM actions.routed_functions() r
         WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_dist_object o
                            WHERE o.classid = 'pg_proc'::regclass AND o.objid = r.fn
                              AND o.distribution_argument_index IS NOT NULL)
    LOOP
        PERFORM pg_catalog.create_distributed_function(f.fn, f.distribution_arg::text,
                                                       colocate_with => 'actions.workspace',
                                                       force_delegation => true);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION actions.distribute_functions() IS
    'Part of actions.distribute(): makes every function of actions.routed_functions() a Citus distributed function colocated with actions.workspace (delegated inside transaction blocks too); returns how many it distributed now';
REVOKE ALL ON FUNCTION actions.distribute_functions() FROM PUBLIC;

-- The functions taking an entity's id (complete(action_id), add_note(action_id, ...),
-- bulk_reassign(action_ids, ...), can(verb, action_id), ...) reach the node holding the entity
-- through this one: on the coordinator, pg_actions reads the entity's workspace by its id and sends
-- the call here, with the workspace as the distribution argument (src/pg/boundary/routing.cpp).
-- It is one of actions.routed_functions() (it takes a workspace_id), so distribute() makes it a
-- distributed function like the others.
CREATE FUNCTION actions.forward(workspace_id bigint, fn regprocedure, args text[])
    RETURNS TABLE ("row" text[])
    LANGUAGE c VOLATILE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_forward';
COMMENT ON FUNCTION actions.forward(bigint, regprocedure, text[]) IS
    'Runs fn, a function of schema actions taking an entity''s id, here with args (the text of each argument, defaults included, NULL for NULL), as the caller and only if the caller may execute fn; returns its result rows, each as the text of its columns. On Citus a distributed function colocated with actions.workspace: how a call through the coordinator reaches the node holding workspace_id, the workspace of the entity';
GRANT EXECUTE ON FUNCTION actions.forward(bigint, regprocedure, text[]) TO PUBLIC;

-- How the coordinator finds the workspace of an entity's id without asking every shard: each
-- worker allocates ids from its own range (actions.distribute()), so an id says which node made
-- it, and this function, called with any workspace placed on that node, answers from that node's
-- shards alone, for the rows the caller may see.
CREATE FUNCTION actions.workspace_of_ids(workspace_id bigint, argument text, ids bigint[])
    RETURNS TABLE (id bigint, home bigint)
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_workspace_of_ids';
COMMENT ON FUNCTION actions.workspace_of_ids(bigint, text, bigint[]) IS
    'The workspace (home) of each of ids that the shards on this node hold and the caller may see (the row-level security of the table, as reading it would apply it), for the entity argument named (action_id, record_id, group_id, ...); an id not held here or not visible to the caller is left out alike. workspace_id only chooses the node on Citus (any workspace placed there). How the coordinator routes a function taking an entity''s id';
GRANT EXECUTE ON FUNCTION actions.workspace_of_ids(bigint, text, bigint[]) TO PUBLIC;
