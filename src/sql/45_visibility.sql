-- pg_actions install script, part 45: row-level security. A person's login role reading the
-- tables directly sees what the API shows them: every action of a workspace where their role
-- grants view_actions, and elsewhere the actions they own or are assigned, with those actions'
-- log entries, evidence and notes; and only their own notifications. People write through the API.
-- A registered trusted service (an application's own role, given table privileges by a DBA) sees
-- and writes every row directly; its changes are checked and logged by the triggers like any other.
-- Each function is evaluated once per query (InitPlans), so every predicate is an index condition.

CREATE FUNCTION actions.is_trusted_service() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_trusted_service';
COMMENT ON FUNCTION actions.is_trusted_service() IS
    'Whether session_user is a registered trusted service (actions.trust_service()): such a role sees and, with privileges, writes every row directly';

CREATE FUNCTION actions.visible_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_visible_workspaces';
COMMENT ON FUNCTION actions.visible_workspaces() IS
    'Workspaces where the acting person''s role lets them view every action (the core''s view decision)';

CREATE FUNCTION actions.visible_groups() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_visible_groups';
COMMENT ON FUNCTION actions.visible_groups() IS
    'Groups whose actions the acting person views through a group-scoped view_actions grant: their groups and every group below them';

CREATE FUNCTION actions.party_records() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_party_records';
COMMENT ON FUNCTION actions.party_records() IS
    'Records the acting person takes part in (actions.record_party, directly or through a shared group): they see those records'' actions';

CREATE FUNCTION actions.candidate_actions() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_candidate_actions';
COMMENT ON FUNCTION actions.candidate_actions() IS
    'Approval actions offered to the acting person as one of a pool of eligible approvers';

CREATE FUNCTION actions.member_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_workspaces';
COMMENT ON FUNCTION actions.member_workspaces() IS
    'Workspaces the acting person is an active member of (an invited member sees nothing until accepting)';

ALTER TABLE actions.action ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_visible ON actions.action FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR group_ids && (SELECT actions.visible_groups())
    OR record_id = ANY ((SELECT actions.party_records())::bigint[])
    OR action_id = ANY ((SELECT actions.candidate_actions())::bigint[])
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (assignee_id = (SELECT actions.current_actor()) OR owner_id = (SELECT actions.current_actor()))));
COMMENT ON POLICY action_visible ON actions.action IS
    'The actions the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those of records they take part in, approvals offered to them, otherwise their own or assigned ones';

ALTER TABLE actions.activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY activity_visible ON actions.activity FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY activity_visible ON actions.activity IS
    'Log entries of the actions the person sees (and, with view_actions, of the workspace''s deleted actions)';

ALTER TABLE actions.evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_visible ON actions.evidence FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY evidence_visible ON actions.evidence IS 'Evidence of the actions the person sees';

ALTER TABLE actions.note ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_visible ON actions.note FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY note_visible ON actions.note IS 'Notes of the actions the person sees';

ALTER TABLE actions.notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_own ON actions.notification FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR person_id = (SELECT actions.current_actor()));
COMMENT ON POLICY notification_own ON actions.notification IS 'A person reads only their own notifications';

ALTER TABLE actions.group ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_visible ON actions.group FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_visible ON actions.group IS 'Members see the group tree of their workspaces';

ALTER TABLE actions.group_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_member_visible ON actions.group_member FOR SELECT USING (
    (SELECT actions.is_trusted_service())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_member_visible ON actions.group_member IS 'Members see who belongs to which group in their workspaces';

-- Direct writes (INSERT, UPDATE, DELETE) by a trusted service that a DBA granted the privilege.
CREATE POLICY action_service_writes ON actions.action FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_writes ON actions.action IS 'Trusted services write actions directly; the triggers check and log every change';
CREATE POLICY note_service_writes ON actions.note FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_writes ON actions.note IS 'Trusted services write notes directly; the trigger logs every change';
-- On the log, such a policy only lets the append-only triggers say no in so many words.
CREATE POLICY activity_service_writes ON actions.activity FOR ALL
    USING ((SELECT actions.is_trusted_service())) WITH CHECK (false);
COMMENT ON POLICY activity_service_writes ON actions.activity IS 'Nobody inserts log entries directly; a trusted service''s UPDATE or DELETE reaches the refusing trigger';

GRANT EXECUTE ON FUNCTION actions.is_trusted_service(), actions.visible_workspaces(), actions.visible_groups(),
    actions.party_records(), actions.candidate_actions(), actions.member_workspaces() TO PUBLIC;
GRANT SELECT ON actions.action, actions.activity, actions.evidence, actions.note, actions.notification,
    actions.group, actions.group_member TO PUBLIC;
