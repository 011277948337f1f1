-- Which functions run on the node holding their workspace on Citus (actions.routed_functions(),
-- src/sql/68_routing.sql): read from the catalog, checked here on a single node, where nothing is
-- distributed. The Citus suite test/citus/suites/routing.sh checks the calls themselves.
BEGIN;

SELECT plan(8);

SELECT ok((SELECT count(*) FROM actions.routed_functions()) > 40,
          'more than 40 functions taking a workspace are routed');
SELECT is((SELECT distribution_arg FROM actions.routed_functions()
            WHERE fn = 'actions.create_action(bigint,text,text,bigint,timestamptz,date,text,text,bigint,bigint[])'::regprocedure),
          'workspace_id'::name, 'create_action is routed on its workspace_id');
SELECT is((SELECT distribution_arg FROM actions.routed_functions()
            WHERE fn = 'actions.list_notifications(bigint,boolean,integer,bigint)'::regprocedure),
          'in_workspace'::name, 'list_notifications is routed on in_workspace');
SELECT ok(NOT EXISTS (SELECT FROM actions.routed_functions() r
                       JOIN pg_depend d ON d.refobjid = r.fn AND d.classid = 'pg_policy'::regclass),
          'no function a row-level security policy calls is routed');
SELECT ok(NOT EXISTS (SELECT FROM actions.routed_functions()
                       WHERE fn = 'actions.track_table(regclass,bigint,text,name,name,text,bigint)'::regprocedure),
          'track_table, given a table of the coordinator, is not routed');
-- Every function with a bigint IN argument workspace_id is routed or left out for one of the two
-- reasons above: nothing else is left out.
SELECT is_empty($$
    SELECT p.oid::regprocedure
      FROM pg_proc p
     WHERE p.pronamespace = 'actions'::regnamespace AND p.prokind = 'f' AND p.proargnames IS NOT NULL
       AND p.oid NOT IN (SELECT fn FROM actions.routed_functions())
       AND EXISTS (SELECT FROM unnest(p.proargnames, coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(p.proargnames)])))
                               AS a(name, mode)
                    WHERE a.mode IN ('i', 'b') AND a.name IN ('workspace_id', 'in_workspace'))
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.refobjid = p.oid AND d.classid = 'pg_policy'::regclass)
       AND NOT ('regclass'::regtype = ANY (p.proargtypes::oid[]))
$$, 'every other function taking a workspace is routed');
CREATE ROLE routing_somebody;
SET LOCAL ROLE routing_somebody;
SELECT throws_ok('SELECT actions.distribute_functions()', '42501', NULL,
                 'distribute_functions is not for PUBLIC');
RESET ROLE;
-- Without Citus it cannot run: Citus' catalog is missing.
SELECT throws_ok('SELECT actions.distribute_functions()', '42P01', NULL,
                 'distribute_functions without Citus fails');

SELECT * FROM finish();
ROLLBACK;
