-- pg_actions upgrade script 0.2 -> 0.3 (ALTER EXTENSION pg_actions UPDATE TO '0.3').
-- Frozen once 0.3 is released; a later schema change adds pg_actions--0.3--0.4.sql instead.
-- test/tap/008_upgrade.pl checks that 0.2 (and 0.1, through 0.2) + this script equals a fresh install of 0.3.

\echo Use "ALTER EXTENSION pg_actions UPDATE" to load this file. \quit

-- ==== domain rules in the core ====
-- mark_overdue(), add_member() and substituted_members() become C functions whose decisions are
-- the core's (core::becomes_overdue, core::state_after_add, core::stands_in); same signatures,
-- errors and locks.
CREATE OR REPLACE FUNCTION actions.add_member(workspace_id bigint, person_id bigint, role text DEFAULT 'user')
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_member';
CREATE OR REPLACE FUNCTION actions.mark_overdue() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_mark_overdue';
CREATE OR REPLACE FUNCTION actions.substituted_members() RETURNS TABLE (workspace_id bigint, person_id bigint)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_substituted_members';
CREATE FUNCTION actions.enumerated_columns() RETURNS TABLE (table_name text, column_name text, names text[])
    LANGUAGE c IMMUTABLE SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_enumerated_columns';
COMMENT ON FUNCTION actions.enumerated_columns() IS
    'Every column the schema restricts to a list of names (a table''s column, or a domain''s value), with the core''s names for it in order: each such CHECK lists exactly these';
REVOKE ALL ON FUNCTION actions.enumerated_columns() FROM PUBLIC;
