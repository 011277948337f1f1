-- pg_actions install script, part 50: records (kinds, parties), approver eligibility, the system
-- workflows; adoption of an application's own table is part 50_tracking.

-- SECURITY DEFINER for the same reason as actions.seed_system_roles().
CREATE FUNCTION actions.seed_record_kinds() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A restore copies the workspace's record kinds back with it.
    IF actions.restoring(TG_RELID) THEN
        RETURN NULL;
    END IF;
    INSERT INTO actions.record_kind (workspace_id, kind, is_system)
    SELECT NEW.workspace_id, k, true FROM unnest(ARRAY['decision', 'delegation', 'document', 'matrix', 'generic']) AS k;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION actions.seed_record_kinds() IS
    'Trigger: gives every new workspace the record kinds decision, delegation, document, matrix and generic; nothing during a restore (actions.restoring()), which brings them back';
CREATE TRIGGER workspace_record_kinds AFTER INSERT ON actions.workspace
    FOR EACH ROW EXECUTE FUNCTION actions.seed_record_kinds();

CREATE FUNCTION actions.create_record_kind(workspace_id bigint, kind text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_record_kind';
COMMENT ON FUNCTION actions.create_record_kind(bigint, text) IS
    'Add a custom record kind to the workspace (needs manage_workspace)';

CREATE FUNCTION actions.delete_record_kind(workspace_id bigint, kind text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_delete_record_kind';
COMMENT ON FUNCTION actions.delete_record_kind(bigint, text) IS
    'Delete an unused custom record kind (needs manage_workspace); the built-in kinds stay';

CREATE FUNCTION actions.add_party(record_id bigint, capacity text, person_id bigint DEFAULT NULL,
                                  group_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_add_party';
COMMENT ON FUNCTION actions.add_party(bigint, text, bigint, bigint) IS
    'Add a person (or, as shared, a group) to a record in a capacity (needs edit_actions or being the record''s owner); a consulted or informed party of a decision gets an acknowledgement action when that workflow is on';

CREATE FUNCTION actions.remove_party(record_id bigint, capacity text, person_id bigint DEFAULT NULL,
                                     group_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_remove_party';
COMMENT ON FUNCTION actions.remove_party(bigint, text, bigint, bigint) IS
    'Take a party off a record (needs edit_actions or being the record''s owner)';

CREATE FUNCTION actions.update_record(record_id bigint, title text) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_update_record';
COMMENT ON FUNCTION actions.update_record(bigint, text) IS
    'Retitle a record; an approved delegation or a published document then goes through approval again when that workflow is on';

CREATE FUNCTION actions.submit_delegation(record_id bigint) RETURNS text
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_submit_delegation';
COMMENT ON FUNCTION actions.submit_delegation(bigint) IS
    'Submit a delegation: with delegation_approval on, an approval action goes to the pool of eligible approvers (state pending_approval); otherwise it is approved at once and acceptance starts. Returns the new state';

CREATE FUNCTION actions.request_delegation(record_id bigint, route text DEFAULT NULL, note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_request_delegation';
COMMENT ON FUNCTION actions.request_delegation(bigint, text, text) IS
    'Ask for authority from a decision (to its owner, else its creator) or a delegation (route issuer, recipient or both); needs the delegation_request workflow on. Returns the first request action';

CREATE FUNCTION actions.publish_document(record_id bigint) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_publish_document';
COMMENT ON FUNCTION actions.publish_document(bigint) IS
    'Publish a document: approval actions for its approvers (document_approval on), and its first review becomes due (document_review on)';

CREATE FUNCTION actions.set_review_schedule(record_id bigint, every interval) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_review_schedule';
COMMENT ON FUNCTION actions.set_review_schedule(bigint, interval) IS
    'Review a document periodically: the maintenance sweep creates review actions for its reviewers every interval (NULL: only the first review)';

CREATE FUNCTION actions.create_due_reviews() RETURNS bigint
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_create_due_reviews';
COMMENT ON FUNCTION actions.create_due_reviews() IS
    'Maintenance: review actions for the reviewers of the published documents whose review is due, at most pg_actions.sweep_batch_size documents per call (the longest due first; the rest wait for the next call), then schedule the next one; a document that fails unexpectedly is recorded in actions.maintenance_error and the others go on; safe to run concurrently. Returns how many actions it created';

CREATE FUNCTION actions.record_outcome(action_id bigint, outcome text, comment text DEFAULT NULL) RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_record_outcome';
COMMENT ON FUNCTION actions.record_outcome(bigint, text, text) IS
    'Close a workflow action with its outcome (approved, rejected, accepted, declined, acknowledged) and a comment; an approval needs an eligible approver at this moment. The record''s workflow state follows';

CREATE FUNCTION actions.set_workflow(workspace_id bigint, workflow text, enabled boolean, due_days integer DEFAULT NULL,
                                     due_unit text DEFAULT NULL)
    RETURNS void
    LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'pg_actions_set_workflow';
COMMENT ON FUNCTION actions.set_workflow(bigint, text, boolean, integer, text) IS
    'Switch a system workflow on or off for the workspace, with the days its actions are due in (needs manage_workspace); due_unit calendar_days (default) or working_days (the workspace''s business calendar, 55000 without one)';

-- The eligibility questions run no SQL (like can() and why_not()): they run as the caller.
CREATE FUNCTION actions.eligible_approvers(delegation_id bigint) RETURNS bigint[]
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_eligible_approvers';
COMMENT ON FUNCTION actions.eligible_approvers(bigint) IS
    'Person ids of every member eligible to approve the delegation now: approve_delegations for all groups, or for a group that is one of the delegation''s groups or above one; never its issuer';

CREATE FUNCTION actions.is_eligible_approver(person_id bigint, delegation_id bigint) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_is_eligible_approver';
COMMENT ON FUNCTION actions.is_eligible_approver(bigint, bigint) IS
    'Whether the person may approve the delegation now; actions.why_not(''approve'', delegation_id, person_id) says why not';

CREATE FUNCTION actions.why_not(verb text, delegation_id bigint, person_id bigint) RETURNS text
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'pg_actions_why_not_person';
COMMENT ON FUNCTION actions.why_not(text, bigint, bigint) IS
    'For verb approve: why the person is not an eligible approver of the delegation (issuer, permission, groups, membership), or NULL when they are';

