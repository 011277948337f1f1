-- Every CHECK of the installed schema that restricts a column (or a domain's value) to a list of
-- names lists exactly the core's names for it, in order (actions.enumerated_columns(), from
-- core/schema_vocabulary.hpp), and every column the core lists has such a CHECK. Read from
-- pg_constraint, so a CHECK spelled twice (due_unit, priority, workflow, assignee_rule...) is
-- compared in each table, and an upgraded schema is held to it as a fresh one is.
BEGIN;

SELECT plan(4);

CREATE TEMP VIEW enumerated_checks AS
SELECT coalesce(c.relname, t.typname)::text AS table_name,
       CASE WHEN m[1] = 'VALUE' THEN 'value' ELSE m[1] END AS column_name,
       ARRAY(SELECT x[1] FROM regexp_matches(m[2], '''((?:[^'']|'''')*)''', 'g') AS x) AS names,
       k.conname::text AS constraint_name
  FROM pg_constraint k
  LEFT JOIN pg_class c ON c.oid = k.conrelid
  LEFT JOIN pg_type t ON t.oid = k.contypid
  CROSS JOIN LATERAL regexp_match(pg_get_constraintdef(k.oid),
                                  '^CHECK \(\(\(?(\w+)\)? = ANY \(\(?ARRAY\[(.*)\]\)?(?:::text\[\])?\)\)\)$') AS m
 WHERE k.contype = 'c' AND k.connamespace = 'actions'::regnamespace AND m IS NOT NULL;

SELECT cmp_ok((SELECT count(*) FROM enumerated_checks), '>=', (SELECT count(*) FROM actions.enumerated_columns()),
    'the schema has a CHECK with a list of names for each column the core enumerates');

SELECT is_empty($$
    SELECT e.table_name, e.column_name, e.constraint_name FROM enumerated_checks e
     WHERE NOT EXISTS (SELECT 1 FROM actions.enumerated_columns() v
                        WHERE v.table_name = e.table_name AND v.column_name = e.column_name)$$,
    'every CHECK with a list of names is on a column the core enumerates');

SELECT is_empty($$
    SELECT e.table_name, e.column_name, e.names, v.names AS core_names FROM enumerated_checks e
      JOIN actions.enumerated_columns() v ON v.table_name = e.table_name AND v.column_name = e.column_name
     WHERE e.names IS DISTINCT FROM v.names$$,
    'every such CHECK lists exactly the core''s names, in its order');

SELECT is_empty($$
    SELECT v.table_name, v.column_name FROM actions.enumerated_columns() v
     WHERE NOT EXISTS (SELECT 1 FROM enumerated_checks e
                        WHERE e.table_name = v.table_name AND e.column_name = v.column_name)$$,
    'every column the core enumerates has such a CHECK');

SELECT * FROM finish();
ROLLBACK;
