-- What a Citus cluster needs of the schema, held on a single node (docs/design.md, "On Citus"):
-- every table has a place (actions.table_kinds()); the keys of per-workspace tables include
-- workspace_id; foreign keys between them name workspace_id on both sides and none leads from a
-- global table to a per-workspace one; no row-level security policy holds a subquery; and
-- actions.distribute() refuses where Citus is not installed.
BEGIN;
SELECT plan(14);

SELECT is((SELECT count(*) FROM actions.table_kinds()),
          (SELECT count(*) FROM pg_class WHERE relnamespace = 'actions'::regnamespace AND relkind = 'r'),
          'actions.table_kinds() names every table of schema actions');
SELECT is_empty($$ SELECT table_name FROM actions.table_kinds() WHERE kind IS NULL OR why IS NULL $$,
    'every table has a kind (reference, distributed or local) and a reason');
SELECT is_empty($$
    SELECT k.table_name FROM actions.table_kinds() k
     WHERE k.kind = 'distributed'
       AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_name AND a.attname = 'workspace_id'
                          AND a.attnotnull) $$,
    'every distributed table has a NOT NULL workspace_id');

-- Citus requires the distribution column in every primary key, unique constraint and unique index.
SELECT is_empty($$
    SELECT i.indexrelid::regclass FROM pg_index i JOIN actions.table_kinds() k ON k.table_name = i.indrelid
     WHERE k.kind = 'distributed' AND i.indisunique
       AND NOT (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = 'workspace_id')
               = ANY (i.indkey::int2[]) $$,
    'every unique index of a distributed table includes workspace_id');
SELECT is_empty($$
    SELECT f.conname FROM pg_constraint f
      JOIN actions.table_kinds() a ON a.table_name = f.conrelid JOIN actions.table_kinds() b ON b.table_name = f.confrelid
     WHERE f.contype = 'f' AND a.kind = 'distributed' AND b.kind = 'distributed'
       AND NOT ((SELECT attnum FROM pg_attribute WHERE attrelid = f.conrelid AND attname = 'workspace_id') = ANY (f.conkey)
                AND (SELECT attnum FROM pg_attribute WHERE attrelid = f.confrelid AND attname = 'workspace_id') = ANY (f.confkey)
                AND array_position(f.conkey, (SELECT attnum FROM pg_attribute WHERE attrelid = f.conrelid AND attname = 'workspace_id'))
                    = array_position(f.confkey, (SELECT attnum FROM pg_attribute WHERE attrelid = f.confrelid AND attname = 'workspace_id'))) $$,
    'every foreign key between distributed tables pairs workspace_id with workspace_id');
SELECT is_empty($$
    SELECT f.conname FROM pg_constraint f
      JOIN actions.table_kinds() a ON a.table_name = f.conrelid JOIN actions.table_kinds() b ON b.table_name = f.confrelid
     WHERE f.contype = 'f' AND (a.kind = 'reference' AND b.kind <> 'reference' OR a.kind = 'local' OR b.kind = 'local') $$,
    'no foreign key leads from a reference table to another kind, nor from or to a node-local table');
SELECT col_is_pk('actions', 'record_party', ARRAY['workspace_id', 'party_id'], 'record_party has a primary key');
SELECT is_empty($$
    SELECT c.relname, p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
     WHERE c.relnamespace = 'actions'::regnamespace
       AND (pg_get_expr(p.polqual, p.polrelid) ~* '\mselect\M' OR pg_get_expr(p.polwithcheck, p.polrelid) ~* '\mselect\M') $$,
    'no row-level security policy holds a subquery (Citus refuses them on distributed tables)');

-- The policies' memo of the session's questions asks only those questions, and answers as they do.
SELECT throws_ok($$SELECT actions.remembered_flag('pg_catalog.pg_is_in_recovery()')$$, '22023', NULL,
    'actions.remembered_flag() asks no function outside schema actions');
SELECT throws_ok($$SELECT actions.remembered_ids('actions.current_actor()')$$, '22023', NULL,
    'nor one that is not a STABLE question without arguments of its type');
CREATE ROLE dist_member LOGIN;
SELECT actions.create_workspace('Dist', owner_id => actions.create_person('dist-member@example.com', 'Member', 'dist_member')) AS dist_ws \gset
SET SESSION AUTHORIZATION dist_member;
SELECT is(actions.remembered_ids('actions.member_workspaces()'), ARRAY[:dist_ws]::bigint[],
    'actions.remembered_ids() answers what the question answers');
RESET SESSION AUTHORIZATION;

-- Without Citus: a clear refusal.
SELECT throws_ok('SELECT * FROM actions.distribute()', '55000', 'Citus is not installed in this database',
    'actions.distribute() refuses where Citus is not installed');
SELECT ok(NOT has_function_privilege('public', 'actions.distribute()', 'EXECUTE'),
    'PUBLIC may not run actions.distribute()');
CREATE ROLE dist_nobody;
SET ROLE dist_nobody;
SELECT throws_ok('SELECT * FROM actions.distribute()', '42501', NULL, 'a role that is not an administrator is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
