-- Baseline of the approver-eligibility benchmark: actions.eligible_approvers(delegation_id) and
-- actions.is_eligible_approver(person_id, delegation_id) as well-written PL/pgSQL, run by
-- bench/eligibility.sh as postgres after bench/sql/eligibility_setup.sql.
--
-- The same rule as the extension (src/core/eligibility.cpp, src/pg/eligibility.cpp): a person is
-- an eligible approver of a delegation when
--   * they are an active member of its workspace (actions.member.state = 'active');
--   * they are not one of its issuers (actions.record_party, capacity 'issuer');
--   * their role's permissions hold approve_delegations role-wide ('approve_delegations' or
--     'approve_delegations:all'; owner and manager have it), or for groups
--     ('approve_delegations:groups') and one of their groups is one of the delegation's groups or
--     above one (actions.group.path lists the ids from the root down to the group itself).
-- Any other scope suffix is no grant at all, as in the extension's parse_grant().
--
-- Index probes only, no recursive CTE, one small statement per step:
--   eligible_approvers  the record (record_id_idx); the workspace's roles (a few rows), split into
--     role-wide and group-scoped grants of approve_delegations; the active holders of a role-wide
--     role (member_role_idx); the groups covering the delegation, as the union of the paths of its
--     groups (group_pkey probes); the members of those groups (group_member_group_idx); of these,
--     the active ones whose role grants it for groups (member_pkey, one probe per candidate);
--     the issuers (record_party_person_key); then the union, minus the issuers, sorted.
--   is_eligible_approver  the record; the person's membership and role (member_pkey, role_pkey);
--     the issuer probe (record_party_person_key); for a group-scoped grant, their groups
--     (group_member_pkey range) against the paths of the delegation's groups (group_pkey probes).
-- Tuning tried on the benchmark's workspace (eligible_approvers, per delegation): one statement
-- (a UNION of the two kinds of holders with an anti-join on the issuers) ~440 us, as the planner
-- re-plans it for every call and hashes all 300 group-scoped holders; the same with the member
-- probe forced per candidate (LATERAL ... LIMIT 1) and generic plans ~250 us; the steps below
-- with generic plans (plan_cache_mode = force_generic_plan: no planning per call) ~220 us.
-- Both return NULL for an id that is not a delegation (the extension raises an error instead); the
-- benchmark asks about delegations only. SECURITY DEFINER owned by postgres with a pinned
-- search_path: they read the tables the way the extension does (no row-level security).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS plain;

CREATE OR REPLACE FUNCTION plain.eligible_approvers(delegation_id bigint) RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET plan_cache_mode = force_generic_plan
    AS $$
DECLARE
    ws bigint; k text; groups bigint[];
    wide bigint[]; scoped bigint[]; cover bigint[];
    people bigint[]; cand bigint[]; issuers bigint[];
BEGIN
    SELECT r.workspace_id, r.kind, r.group_ids INTO ws, k, groups
      FROM actions.record r WHERE r.record_id = eligible_approvers.delegation_id;
    IF NOT FOUND OR k <> 'delegation' THEN RETURN NULL; END IF;

    SELECT array_agg(r.role_id) FILTER (WHERE r.permissions && '{approve_delegations,approve_delegations:all}'::text[]),
           array_agg(r.role_id) FILTER (WHERE NOT r.permissions && '{approve_delegations,approve_delegations:all}'::text[]
                                          AND 'approve_delegations:groups' = ANY (r.permissions))
      INTO wide, scoped
      FROM actions.role r WHERE r.workspace_id = ws;

    IF wide IS NOT NULL THEN
        SELECT array_agg(m.person_id) INTO people
          FROM actions.member m WHERE m.workspace_id = ws AND m.role_id = ANY (wide) AND m.state = 'active';
    END IF;
    IF scoped IS NOT NULL AND cardinality(groups) > 0 THEN
        SELECT array_agg(DISTINCT p.id) INTO cover
          FROM actions.group g, unnest(g.path) AS p(id)
         WHERE g.workspace_id = ws AND g.group_id = ANY (groups);
        SELECT array_agg(gm.person_id) INTO cand
          FROM actions.group_member gm WHERE gm.workspace_id = ws AND gm.group_id = ANY (cover);
        IF cand IS NOT NULL THEN
            SELECT people || array_agg(m.person_id) INTO people
              FROM actions.member m
             WHERE m.workspace_id = ws AND m.person_id = ANY (cand) AND m.role_id = ANY (scoped) AND m.state = 'active';
        END IF;
    END IF;
    IF people IS NULL THEN RETURN '{}'; END IF;
    SELECT array_agg(rp.person_id) INTO issuers
      FROM actions.record_party rp
     WHERE rp.workspace_id = ws AND rp.record_id = eligible_approvers.delegation_id AND rp.capacity = 'issuer'
       AND rp.person_id IS NOT NULL;
    RETURN ARRAY(SELECT DISTINCT p FROM unnest(people) AS p WHERE p <> ALL (coalesce(issuers, '{}')) ORDER BY p);
END
$$;
COMMENT ON FUNCTION plain.eligible_approvers(bigint) IS
    'Baseline of bench/eligibility.sh: actions.eligible_approvers(delegation_id) in PL/pgSQL with index probes';

CREATE OR REPLACE FUNCTION plain.is_eligible_approver(person_id bigint, delegation_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET plan_cache_mode = force_generic_plan
    AS $$
DECLARE
    ws bigint; k text; groups bigint[];
    mstate text; perms text[]; mine bigint[];
BEGIN
    SELECT r.workspace_id, r.kind, r.group_ids INTO ws, k, groups
      FROM actions.record r WHERE r.record_id = is_eligible_approver.delegation_id;
    IF NOT FOUND OR k <> 'delegation' THEN RETURN NULL; END IF;

    SELECT m.state, r.permissions INTO mstate, perms
      FROM actions.member m
      JOIN actions.role r ON r.workspace_id = m.workspace_id AND r.role_id = m.role_id
     WHERE m.workspace_id = ws AND m.person_id = is_eligible_approver.person_id;
    IF NOT FOUND OR mstate <> 'active' THEN RETURN false; END IF;

    IF EXISTS (SELECT 1 FROM actions.record_party rp
                WHERE rp.workspace_id = ws AND rp.record_id = is_eligible_approver.delegation_id
                  AND rp.capacity = 'issuer' AND rp.person_id = is_eligible_approver.person_id) THEN
        RETURN false;
    END IF;

    IF perms && '{approve_delegations,approve_delegations:all}'::text[] THEN RETURN true; END IF;
    IF NOT coalesce('approve_delegations:groups' = ANY (perms), false) OR cardinality(groups) = 0 THEN
        RETURN false;
    END IF;

    SELECT array_agg(gm.group_id) INTO mine
      FROM actions.group_member gm WHERE gm.workspace_id = ws AND gm.person_id = is_eligible_approver.person_id;
    IF mine IS NULL THEN RETURN false; END IF;
    RETURN EXISTS (SELECT 1 FROM actions.group g
                    WHERE g.workspace_id = ws AND g.group_id = ANY (groups) AND g.path && mine);
END
$$;
COMMENT ON FUNCTION plain.is_eligible_approver(bigint, bigint) IS
    'Baseline of bench/eligibility.sh: actions.is_eligible_approver(person_id, delegation_id) in PL/pgSQL with index probes';

REVOKE ALL ON FUNCTION plain.eligible_approvers(bigint), plain.is_eligible_approver(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION plain.eligible_approvers(bigint), plain.is_eligible_approver(bigint, bigint) TO elig_asker;
