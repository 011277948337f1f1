-- The eligibility questions (eligible_approvers, is_eligible_approver, why_not 'approve') keep
-- what they read from these tables across statements; every statement that writes one of them
-- tells every session to drop it (at its commit; this session's next command at once).
CREATE FUNCTION actions.kept_facts_changed() RETURNS trigger
    LANGUAGE c SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_kept_facts_changed';
COMMENT ON FUNCTION actions.kept_facts_changed() IS
    'Trigger: after a statement writes actions.role, member, group or group_member, invalidates the eligibility facts every session keeps (a relcache invalidation sent at commit, and a lock held until it is sent)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.role
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.role ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.role IS
    'Invalidates the eligibility facts sessions keep of the roles (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.member ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.member IS
    'Invalidates the eligibility facts sessions keep of the members (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions."group"
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions."group" ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions."group" IS
    'Invalidates the eligibility facts sessions keep of the groups and their paths (actions.kept_facts_changed)';
CREATE TRIGGER kept_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions.group_member
    FOR EACH STATEMENT EXECUTE FUNCTION actions.kept_facts_changed();
ALTER TABLE actions.group_member ENABLE ALWAYS TRIGGER kept_facts_changed;
COMMENT ON TRIGGER kept_facts_changed ON actions.group_member IS
    'Invalidates the eligibility facts sessions keep of the group members (actions.kept_facts_changed)';
