-- pg_actions install script, part 64: TRUNCATE under row-level security.
-- TRUNCATE applies no policy and fires no row trigger: a role that row-level security binds (a
-- trusted service, an application) and that a DBA granted TRUNCATE (GRANT ALL ...) would remove
-- every tenant's rows, unlogged, though its DELETE reaches only the rows it sees and the direct
-- write triggers decide it. A statement trigger on every table with row-level security refuses
-- TRUNCATE to every role but a superuser and the table's owner (as the direct write triggers
-- decide: a role with BYPASSRLS is refused too); they may DELETE every row anyway.
-- actions.action and actions.activity refuse TRUNCATE to everyone.

CREATE FUNCTION actions.refuse_bound_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- As the direct write triggers decide: bound unless a superuser or the table's owner (a role
    -- with BYPASSRLS is bound all the same).
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
       AND NOT pg_catalog.pg_has_role(current_user,
                                      (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'cannot truncate actions.%: role % is not its owner', TG_TABLE_NAME, current_user
            USING ERRCODE = '42501',
                  DETAIL = 'TRUNCATE applies no row-level security policy and fires no row trigger, so it would remove the rows of every workspace, unchecked and unlogged',
                  HINT = 'DELETE the rows instead (the policies and the direct write triggers decide which), or use the API';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.refuse_bound_truncate() IS
    'Trigger: refuses TRUNCATE (42501) of a table with row-level security to every role but a superuser and the table''s owner (a trusted service or application granted TRUNCATE, with BYPASSRLS or not); its DELETE reaches only the rows it sees';
REVOKE ALL ON FUNCTION actions.refuse_bound_truncate() FROM PUBLIC;

DO $$
DECLARE
    t name;
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
                AND c.relname NOT IN ('action', 'activity')
              ORDER BY c.relname LOOP
        EXECUTE format('CREATE TRIGGER bound_no_truncate BEFORE TRUNCATE ON actions.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION actions.refuse_bound_truncate()', t);
        EXECUTE format('ALTER TABLE actions.%I ENABLE ALWAYS TRIGGER bound_no_truncate', t);
        EXECUTE format('COMMENT ON TRIGGER bound_no_truncate ON actions.%I IS %L', t,
                       'TRUNCATE is refused to every role but a superuser and the owner (actions.refuse_bound_truncate)');
    END LOOP;
END
$$;
