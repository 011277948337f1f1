-- pg_actions install script, part 45: row-level security. A person's login role reading the
-- tables directly sees what the API shows them: every action of a workspace where their role
-- grants view_actions, and elsewhere the actions they own or are assigned, with those actions'
-- log entries, evidence and notes; and only their own notifications. People write through the API.
-- A registered trusted service (an application's own role, given table privileges by a DBA) sees
-- what the person it acts for (act_as) sees; acting for nobody, every row if registered with
-- sees => 'all', else nothing. It writes directly the rows it sees; its changes are checked and
-- logged by the triggers like any other. A request of an authenticator (PostgREST) is its person.
-- Members also read the people (actions.member_person), memberships, roles, groups and records of
-- their workspaces, so an application or a BI tool can join them.
-- Each function is evaluated once per query (InitPlans), so every predicate is an index condition.

CREATE FUNCTION actions.is_trusted_service() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_is_trusted_service';
COMMENT ON FUNCTION actions.is_trusted_service() IS
    'Whether this session has the standing of a registered trusted service (actions.trust_service()): it may act_as and, with privileges, write the rows it sees directly. A request of an authenticator has not';

CREATE FUNCTION actions.service_sees_all() RETURNS boolean
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_service_sees_all';
COMMENT ON FUNCTION actions.service_sees_all() IS
    'Whether this session is a trusted service registered with sees => ''all'' that acts for nobody now: it then reads every row';

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
    'Actions offered to the acting person: approvals as one of a pool of eligible approvers (actions.action_candidate), and actions whose pool (actions.action_offer) names them, one of their groups or a group above it, or their role';

CREATE FUNCTION actions.member_workspaces() RETURNS bigint[]
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_member_workspaces';
COMMENT ON FUNCTION actions.member_workspaces() IS
    'Workspaces the acting person is an active member of (an invited member sees nothing until accepting)';

-- Who stands in for whom now is the core's rule (core::stands_in, src/core/absence.hpp): an
-- absence under way now whose substitute is the acting person, an active member of its workspace.
CREATE FUNCTION actions.substituted_members() RETURNS TABLE (workspace_id bigint, person_id bigint)
    LANGUAGE c STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_substituted_members';
COMMENT ON FUNCTION actions.substituted_members() IS
    'The absent members (workspace, person) the acting person stands in for now: they see and act on the actions assigned to them';

-- Who may see an action, said once: the policies action_visible, action_service_update,
-- action_service_delete and service_level_visible and the view actions.action_list_rows ask this
-- function, and the API decides the same in the core (the view decision over the action's facts:
-- core/permission.hpp decide(), pg/authz/facts.cpp). Its inputs are the session's sets, which the
-- C functions compute with the core's rules (view_actions in a workspace or over groups, a
-- record's parties, a pool's candidates, the absences stood in for now, active memberships):
-- passed as sub-selects, so the planner inlines it (SQL, IMMUTABLE, no SET clause, every operator
-- schema-qualified, each argument used once) and they stay InitPlans run once per query.
CREATE TYPE actions.member_key AS (workspace_id bigint, person_id bigint);
COMMENT ON TYPE actions.member_key IS 'A member of a workspace (workspace, person): the absent members the acting person stands in for, as actions.may_see_action() takes them (actions.substituted_members())';
CREATE FUNCTION actions.may_see_action(workspace_id bigint, action_id bigint, record_id bigint, group_ids bigint[],
                                       assignee_id bigint, owner_id bigint, delegated_by bigint, sees_all boolean,
                                       view_workspaces bigint[], view_groups bigint[], party_records bigint[],
                                       candidate_actions bigint[], substituted actions.member_key[],
                                       member_workspaces bigint[], actor bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sees_all
        OR workspace_id OPERATOR(pg_catalog.=) ANY (view_workspaces)
        OR group_ids OPERATOR(pg_catalog.&&) view_groups
        OR record_id OPERATOR(pg_catalog.=) ANY (party_records)
        OR action_id OPERATOR(pg_catalog.=) ANY (candidate_actions)
        OR ROW(workspace_id, assignee_id)::actions.member_key OPERATOR(pg_catalog.=) ANY (substituted)
        OR (workspace_id OPERATOR(pg_catalog.=) ANY (member_workspaces)
            AND actor OPERATOR(pg_catalog.=) ANY (ARRAY[assignee_id, owner_id, delegated_by]));
COMMENT ON FUNCTION actions.may_see_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint, boolean, bigint[], bigint[], bigint[], bigint[], actions.member_key[], bigint[], bigint) IS
    'Whether an action (workspace, id, record, groups, assignee, owner, delegator) is visible to the acting person, given the session''s actions.service_sees_all(), visible_workspaces(), visible_groups(), party_records(), candidate_actions(), substituted_members(), member_workspaces() and current_actor(): the one rule of the policies on actions.action and actions.service_level and of actions.action_list_rows';

ALTER TABLE actions.action ENABLE ROW LEVEL SECURITY;
CREATE POLICY action_visible ON actions.action FOR SELECT USING (
    actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
        (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
        (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
        (SELECT actions.candidate_actions())::bigint[],
        (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
        (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor())));
COMMENT ON POLICY action_visible ON actions.action IS
    'The actions the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those of records they take part in, approvals and actions offered to them (as one of the candidates), those assigned to an absent member they substitute now, otherwise their own, assigned or delegated ones';

ALTER TABLE actions.activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY activity_visible ON actions.activity FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY activity_visible ON actions.activity IS
    'Log entries of the actions the person sees (and, with view_actions, of the workspace''s deleted actions)';

ALTER TABLE actions.evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_visible ON actions.evidence FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY evidence_visible ON actions.evidence IS 'Evidence of the actions the person sees';

ALTER TABLE actions.note ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_visible ON actions.note FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY note_visible ON actions.note IS 'Notes of the actions the person sees';

ALTER TABLE actions.notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_own ON actions.notification FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR person_id = (SELECT actions.current_actor()));
COMMENT ON POLICY notification_own ON actions.notification IS 'A person reads only their own notifications';

ALTER TABLE actions.group ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_visible ON actions.group FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_visible ON actions.group IS 'Members see the group tree of their workspaces';

ALTER TABLE actions.group_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY group_member_visible ON actions.group_member FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY group_member_visible ON actions.group_member IS 'Members see who belongs to which group in their workspaces';

-- Direct writes by a trusted service that a DBA granted the privilege: INSERT, and UPDATE and
-- DELETE of the rows it sees (the same test as action_visible: actions.may_see_action()).
CREATE POLICY action_service_insert ON actions.action FOR INSERT
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_insert ON actions.action IS 'Trusted services insert actions directly; the triggers check and log every change';
CREATE POLICY action_service_update ON actions.action FOR UPDATE
    USING ((SELECT actions.is_trusted_service()) AND (
        actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
            (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
            (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
            (SELECT actions.candidate_actions())::bigint[],
            (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
            (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()))))
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY action_service_update ON actions.action IS 'Trusted services update the actions they see directly; the triggers check and log every change';
CREATE POLICY action_service_delete ON actions.action FOR DELETE
    USING ((SELECT actions.is_trusted_service()) AND (
        actions.may_see_action(workspace_id, action_id, record_id, group_ids, assignee_id, owner_id, delegated_by,
            (SELECT actions.service_sees_all()), (SELECT actions.visible_workspaces())::bigint[],
            (SELECT actions.visible_groups()), (SELECT actions.party_records())::bigint[],
            (SELECT actions.candidate_actions())::bigint[],
            (SELECT pg_catalog.array_agg(ROW(s.workspace_id, s.person_id)::actions.member_key) FROM actions.substituted_members() s),
            (SELECT actions.member_workspaces())::bigint[], (SELECT actions.current_actor()))));
COMMENT ON POLICY action_service_delete ON actions.action IS 'Trusted services delete the actions they see directly; the trigger logs every deletion';
CREATE POLICY note_service_insert ON actions.note FOR INSERT
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_insert ON actions.note IS 'Trusted services insert notes directly; the trigger logs every change';
CREATE POLICY note_service_update ON actions.note FOR UPDATE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a)))
    WITH CHECK ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY note_service_update ON actions.note IS 'Trusted services update the notes they see directly; the trigger logs every change';
CREATE POLICY note_service_delete ON actions.note FOR DELETE
    USING ((SELECT actions.is_trusted_service()) AND (
        (SELECT actions.service_sees_all())
        OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a)));
COMMENT ON POLICY note_service_delete ON actions.note IS 'Trusted services delete the notes they see directly; the trigger logs every deletion';
-- A direct write by a role row-level security binds (a trusted service a DBA granted the privilege)
-- is decided for the person it acts for exactly as the API decides the matching call (can(),
-- create_action, update_action, delete_action, add_note, ...); acting for nobody it is refused.
-- SECURITY INVOKER, so that they tell the API's writes (run as the extension owner, not bound by
-- row-level security) from the service's own; they run no SQL, like can(), so they pin no
-- search_path (a SET clause costs every write to the table more than the trigger itself; see
-- docs/security.md, section 3). action_service_write fires after action_guard (triggers fire in the order of their names) and sees the settled row.
CREATE FUNCTION actions.action_service_write() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pg_actions_action_service_write';
COMMENT ON FUNCTION actions.action_service_write() IS
    'Trigger: a direct INSERT, UPDATE or DELETE of an action by a role other than a superuser and the table''s owner (BYPASSRLS or not) is allowed only while acting for a person (act_as) and only when the API would allow that person the same change (create, edit, assign, reassign, start, complete, uncomplete, cancel, delete)';
CREATE FUNCTION actions.note_service_write() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pg_actions_note_service_write';
COMMENT ON FUNCTION actions.note_service_write() IS
    'Trigger: a direct INSERT, UPDATE or DELETE of a note by a role other than a superuser and the table''s owner (BYPASSRLS or not) is allowed only while acting for a person (act_as) and only as add_note, edit_note and delete_note allow that person (its author is that person; only the body is edited)';
CREATE TRIGGER action_service_write BEFORE INSERT OR UPDATE OR DELETE ON actions.action
    FOR EACH ROW EXECUTE FUNCTION actions.action_service_write();
COMMENT ON TRIGGER action_service_write ON actions.action IS
    'Decides a trusted service''s direct write for the person it acts for, as the API would (actions.action_service_write())';
CREATE TRIGGER note_service_write BEFORE INSERT OR UPDATE OR DELETE ON actions.note
    FOR EACH ROW EXECUTE FUNCTION actions.note_service_write();
COMMENT ON TRIGGER note_service_write ON actions.note IS
    'Decides a trusted service''s direct write of a note for the person it acts for, as the API would (actions.note_service_write())';
REVOKE ALL ON FUNCTION actions.action_service_write(), actions.note_service_write() FROM PUBLIC;
-- On the log, such policies only let the append-only triggers say no in so many words; nobody
-- inserts log entries directly (no INSERT policy).
CREATE POLICY activity_service_update ON actions.activity FOR UPDATE
    USING ((SELECT actions.is_trusted_service())) WITH CHECK (false);
COMMENT ON POLICY activity_service_update ON actions.activity IS 'A trusted service''s UPDATE of the log entries it sees reaches the refusing trigger';
CREATE POLICY activity_service_delete ON actions.activity FOR DELETE
    USING ((SELECT actions.is_trusted_service()));
COMMENT ON POLICY activity_service_delete ON actions.activity IS 'A trusted service''s DELETE of the log entries it sees reaches the refusing trigger';

-- What members read to join the actions with: their workspaces, the memberships and roles of
-- those, the record kinds and the records they may see, and (through a view that leaves out the
-- e-mail unless the workspace shows it) the people.
ALTER TABLE actions.workspace ENABLE ROW LEVEL SECURITY;
CREATE POLICY workspace_visible ON actions.workspace FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY workspace_visible ON actions.workspace IS 'Members see the workspaces they are active members of';
ALTER TABLE actions.member ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_visible ON actions.member FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY member_visible ON actions.member IS 'Members see the memberships of their workspaces';
ALTER TABLE actions.role ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_visible ON actions.role FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY role_visible ON actions.role IS 'Members see the roles of their workspaces';
ALTER TABLE actions.record_kind ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_kind_visible ON actions.record_kind FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY record_kind_visible ON actions.record_kind IS 'Members see the record kinds of their workspaces';
-- Who may see a record, said once: the policy below and the record fields of
-- actions.action_list_rows ask this function, and the API decides the same in the core (view over
-- the record's facts: pg/authz/facts.cpp record_facts, check_record). It reads nothing: the
-- session's inputs are passed as sub-selects, so the planner inlines it (SQL, IMMUTABLE, no SET
-- clause, every operator schema-qualified) and they stay InitPlans run once per query.
CREATE FUNCTION actions.may_see_record(workspace_id bigint, record_id bigint, group_ids bigint[], sees_all boolean,
                                       view_workspaces bigint[], view_groups bigint[], party_records bigint[])
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN sees_all
        OR workspace_id OPERATOR(pg_catalog.=) ANY (view_workspaces)
        OR group_ids OPERATOR(pg_catalog.&&) view_groups
        OR record_id OPERATOR(pg_catalog.=) ANY (party_records);
COMMENT ON FUNCTION actions.may_see_record(bigint, bigint, bigint[], boolean, bigint[], bigint[], bigint[]) IS
    'Whether a record (workspace, id, groups) is visible to the acting person, given the session''s actions.service_sees_all(), visible_workspaces(), visible_groups() and party_records(): view_actions in its workspace, view_actions:groups over one of its groups, or a party of it. The one rule of the policy record_visible and of the record fields of actions.action_list_rows';
ALTER TABLE actions.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_visible ON actions.record FOR SELECT USING (
    actions.may_see_record(workspace_id, record_id, group_ids, (SELECT actions.service_sees_all()),
        (SELECT actions.visible_workspaces())::bigint[], (SELECT actions.visible_groups()),
        (SELECT actions.party_records())::bigint[]));
COMMENT ON POLICY record_visible ON actions.record IS
    'The records the API shows the acting person: all of a workspace with view_actions, those of their groups (and below) with view_actions:groups, those they take part in';

-- A view, not the table: row-level security cannot hide one column, and the e-mail is shown
-- only where the workspace says so. It runs as its owner and filters like the policies.
CREATE VIEW actions.member_person WITH (security_barrier) AS
    SELECT m.workspace_id, m.person_id, p.display_name,
           CASE WHEN w.show_emails THEN p.email END AS email,
           r.name AS role, m.state, m.joined_at
      FROM actions.member m
      JOIN actions.person p ON p.person_id = m.person_id
      JOIN actions.workspace w ON w.workspace_id = m.workspace_id
      JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
     WHERE (SELECT actions.service_sees_all())
        OR m.workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]);
COMMENT ON VIEW actions.member_person IS 'The people of the workspaces the acting person is an active member of: display name, e-mail where the workspace shows e-mails (actions.workspace.show_emails), role and state';
COMMENT ON COLUMN actions.member_person.workspace_id IS 'Workspace';
COMMENT ON COLUMN actions.member_person.person_id IS 'Person';
COMMENT ON COLUMN actions.member_person.display_name IS 'Name shown to other members';
COMMENT ON COLUMN actions.member_person.email IS 'E-mail address, or NULL unless the workspace shows e-mails';
COMMENT ON COLUMN actions.member_person.role IS 'Name of the member''s role in the workspace';
COMMENT ON COLUMN actions.member_person.state IS 'invited, active or removed';
COMMENT ON COLUMN actions.member_person.joined_at IS 'When the person was added to the workspace';

GRANT EXECUTE ON FUNCTION actions.is_trusted_service(), actions.service_sees_all(), actions.visible_workspaces(),
    actions.visible_groups(), actions.party_records(), actions.candidate_actions(), actions.member_workspaces() TO PUBLIC;
GRANT SELECT ON actions.action, actions.activity, actions.evidence, actions.note, actions.notification,
    actions.group, actions.group_member, actions.workspace, actions.member, actions.role, actions.record_kind,
    actions.record, actions.member_person TO PUBLIC;

-- Absences: a member reads their own, those they substitute in, and with view_actions for the
-- whole workspace all of the workspace's (who is away and who covers is part of seeing every
-- action and its assignee). Escalation rules: every member of the workspace; their firings: those
-- of the actions the person sees.
ALTER TABLE actions.absence ENABLE ROW LEVEL SECURITY;
CREATE POLICY absence_visible ON actions.absence FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.visible_workspaces())::bigint[])
    OR (workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[])
        AND (person_id = (SELECT actions.current_actor()) OR substitute_id = (SELECT actions.current_actor()))));
COMMENT ON POLICY absence_visible ON actions.absence IS
    'A member''s own absences and those they substitute in; all of a workspace where their role grants view_actions (scope all)';
ALTER TABLE actions.escalation_rule ENABLE ROW LEVEL SECURITY;
CREATE POLICY escalation_rule_visible ON actions.escalation_rule FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR workspace_id = ANY ((SELECT actions.member_workspaces())::bigint[]));
COMMENT ON POLICY escalation_rule_visible ON actions.escalation_rule IS 'The escalation rules of the workspaces the person is an active member of';
ALTER TABLE actions.escalation_fired ENABLE ROW LEVEL SECURITY;
CREATE POLICY escalation_fired_visible ON actions.escalation_fired FOR SELECT USING (
    (SELECT actions.service_sees_all())
    OR (workspace_id, action_id) IN (SELECT a.workspace_id, a.action_id FROM actions.action a));
COMMENT ON POLICY escalation_fired_visible ON actions.escalation_fired IS 'Firings of escalation rules on the actions the person sees';
GRANT SELECT ON actions.absence, actions.escalation_rule, actions.escalation_fired TO PUBLIC;
GRANT EXECUTE ON FUNCTION actions.substituted_members(),
    actions.may_see_action(bigint, bigint, bigint, bigint[], bigint, bigint, bigint, boolean, bigint[], bigint[], bigint[], bigint[], actions.member_key[], bigint[], bigint) TO PUBLIC;
