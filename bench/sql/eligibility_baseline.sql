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
-- Index probes only, no recursive CTE:
--   eligible_approvers  the record (record_id_idx); the workspace's roles (role_pkey range), split
--     into role-wide and group-scoped grants of approve_delegations; the groups covering the
--     delegation, as the union of the paths of its groups (one group_pkey probe each); then the
--     holders of a role-wide role (member_role_idx) and the members of the covering groups
--     (group_member_group_idx, then member_pkey for their role and state), minus the issuers
--     (record_party_person_key); sorted.
--   is_eligible_approver  the record; the person's membership and role (member_pkey, role_pkey);
--     the issuer probe (record_party_person_key); for a group-scoped grant, their groups
--     (group_member_pkey range) against the paths of the delegation's groups (group_pkey probes).
-- Both return NULL for an id that is not a delegation (the extension raises an error instead); the
-- benchmark asks about delegations only. SECURITY DEFINER owned by postgres with a pinned
-- search_path: they read the tables the way the extension does (no row-level security).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS plain;

CREATE OR REPLACE FUNCTION plain.eligible_approvers(delegation_id bigint) RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    ws bigint; k text; groups bigint[];
    wide bigint[]; scoped bigint[]; cover bigint[];
    result bigint[];
BEGIN
    SELECT r.workspace_id, r.kind, r.group_ids INTO ws, k, groups
      FROM actions.record r WHERE r.record_id = eligible_approvers.delegation_id;
    IF NOT FOUND OR k <> 'delegation' THEN RETURN NULL; END IF;

    SELECT array_agg(r.role_id) FILTER (WHERE r.permissions && '{approve_delegations,approve_delegations:all}'::text[]),
           array_agg(r.role_id) FILTER (WHERE NOT r.permissions && '{approve_delegations,approve_delegations:all}'::text[]
                                          AND 'approve_delegations:groups' = ANY (r.permissions))
      INTO wide, scoped
      FROM actions.role r WHERE r.workspace_id = ws;

    IF scoped IS NOT NULL AND cardinality(groups) > 0 THEN
        SELECT array_agg(DISTINCT p.id) INTO cover
          FROM actions.group g, unnest(g.path) AS p(id)
         WHERE g.workspace_id = ws AND g.group_id = ANY (groups);
    END IF;

    SELECT coalesce(array_agg(e.person_id ORDER BY e.person_id), '{}') INTO result
      FROM (SELECT m.person_id FROM actions.member m
             WHERE m.workspace_id = ws AND m.role_id = ANY (wide) AND m.state = 'active'
            UNION
            SELECT gm.person_id FROM actions.group_member gm
              JOIN actions.member m ON m.workspace_id = gm.workspace_id AND m.person_id = gm.person_id
             WHERE gm.workspace_id = ws AND gm.group_id = ANY (cover)
               AND m.role_id = ANY (scoped) AND m.state = 'active') e
     WHERE NOT EXISTS (SELECT 1 FROM actions.record_party rp
                        WHERE rp.workspace_id = ws AND rp.record_id = eligible_approvers.delegation_id
                          AND rp.capacity = 'issuer' AND rp.person_id = e.person_id);
    RETURN result;
END
$$;
COMMENT ON FUNCTION plain.eligible_approvers(bigint) IS
    'Baseline of bench/eligibility.sh: actions.eligible_approvers(delegation_id) in PL/pgSQL with index probes';

CREATE OR REPLACE FUNCTION plain.is_eligible_approver(person_id bigint, delegation_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
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
