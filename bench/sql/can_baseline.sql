-- Baseline of the access-control benchmark: actions.can('complete', action_id) as a well-written
-- PL/pgSQL function, run by bench/access.sh as postgres after bench/sql/access_setup.sql.
--
-- The same rule as the extension for the verb 'complete':
--   * the action exists (else false);
--   * the actor is an invited or active member of its workspace (else false);
--   * the role's permissions (actions.role.permissions via actions.member.role_id) are read as
--     grants: 'code' or 'code:all' role-wide, 'code:groups' only where the action lies in one of
--     the actor's groups or below one; anything else is ignored;
--   * the actor may see it (view_actions, or owning it, or being its assignee), else false;
--   * the actor may complete it: assignee, or complete_any_actions, reassign_actions or
--     administer_actions;
--   * the action is open (to_do, in_progress, overdue).
-- The group walk is done with index probes, and only when a group-scoped grant could change the
-- answer: the actor's groups are read once (a range of the group_member primary key), then from
-- each of the action's groups the function walks up by parent_id, one group primary-key probe per
-- level, until it meets one of the actor's groups or passes the root.
-- SECURITY DEFINER owned by postgres with a pinned search_path: it reads the tables the way the
-- extension does (no row-level security), whoever calls it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS plain;

CREATE OR REPLACE FUNCTION plain.can_complete(actor bigint, action_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ws bigint; st text; own bigint; asg bigint; groups bigint[];
    mstate text; perms text[];
    grant_text text; code text; scope text;
    view_all boolean := false; view_grp boolean := false;   -- view_actions, by scope
    do_all boolean := false; do_grp boolean := false;       -- complete_any/reassign/administer_actions
    may_view boolean; may_do boolean;
    mine bigint[]; g bigint; cur bigint;
BEGIN
    SELECT a.workspace_id, a.status, a.owner_id, a.assignee_id, a.group_ids
      INTO ws, st, own, asg, groups
      FROM actions.action a WHERE a.action_id = can_complete.action_id;
    IF NOT FOUND THEN RETURN false; END IF;

    SELECT m.state, r.permissions INTO mstate, perms
      FROM actions.member m
      LEFT JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
     WHERE m.workspace_id = ws AND m.person_id = actor;
    IF NOT FOUND OR mstate NOT IN ('invited', 'active') THEN RETURN false; END IF;
    IF st NOT IN ('to_do', 'in_progress', 'overdue') THEN RETURN false; END IF;

    FOREACH grant_text IN ARRAY coalesce(perms, '{}') LOOP
        IF strpos(grant_text, ':') > 0 THEN
            code := split_part(grant_text, ':', 1);
            scope := substr(grant_text, strpos(grant_text, ':') + 1);
            CONTINUE WHEN scope NOT IN ('all', 'groups');
        ELSE
            code := grant_text; scope := 'all';
        END IF;
        IF code = 'view_actions' THEN
            IF scope = 'all' THEN view_all := true; ELSE view_grp := true; END IF;
        ELSIF code IN ('complete_any_actions', 'reassign_actions', 'administer_actions') THEN
            IF scope = 'all' THEN do_all := true; ELSE do_grp := true; END IF;
        END IF;
    END LOOP;

    may_view := view_all OR own = actor OR asg = actor;
    may_do := asg = actor OR do_all;
    may_view := coalesce(may_view, false);
    may_do := coalesce(may_do, false);
    IF may_view AND may_do THEN RETURN true; END IF;
    -- Only a group-scoped grant that fills every gap can still allow it: then walk the tree.
    IF NOT ((may_view OR view_grp) AND (may_do OR do_grp)) THEN RETURN false; END IF;

    SELECT array_agg(gm.group_id) INTO mine
      FROM actions.group_member gm WHERE gm.workspace_id = ws AND gm.person_id = actor;
    IF mine IS NULL THEN RETURN false; END IF;
    FOREACH g IN ARRAY groups LOOP
        cur := g;
        WHILE cur IS NOT NULL LOOP
            IF cur = ANY (mine) THEN RETURN true; END IF;
            SELECT gr.parent_id INTO cur FROM actions.group gr WHERE gr.workspace_id = ws AND gr.group_id = cur;
        END LOOP;
    END LOOP;
    RETURN false;
END
$$;
COMMENT ON FUNCTION plain.can_complete(bigint, bigint) IS
    'Baseline of bench/access.sh: actions.can(''complete'', action_id) for actor, in PL/pgSQL with index probes';
REVOKE ALL ON FUNCTION plain.can_complete(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION plain.can_complete(bigint, bigint) TO acc_scoped, acc_wide, acc_assignee, acc_listed;
