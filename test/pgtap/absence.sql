-- Out-of-office substitutes (core/absence.hpp, api/out_of_office.cpp, authz/facts.cpp):
--   * a declaration's bad input is refused with a clear error and writes nothing;
--   * row-level security shows an absence to the absent member, the substitute and those who view
--     every action of the workspace, to nobody else;
--   * while it lasts, a new assignment goes to the substitute (routing 'substitute', logged with
--     instead_of) or stays and the substitute is notified (routing 'both');
--   * the substitute sees and acts on the absent member's actions, each act logged with
--     acting_for; list, view and table agree; an ended absence or a removed substitute stops at
--     once; a substitute who is the issuer still cannot approve the delegation.
BEGIN;
SELECT plan(48);

CREATE ROLE ab_owner LOGIN; CREATE ROLE ab_amy LOGIN; CREATE ROLE ab_sam LOGIN; CREATE ROLE ab_kim LOGIN;
CREATE ROLE ab_ian LOGIN; CREATE ROLE ab_val LOGIN;
SELECT actions.create_person('ab-owner@example.com', 'Owner', 'ab_owner') AS owner,
       actions.create_person('ab-amy@example.com', 'Amy (absent)', 'ab_amy') AS amy,
       actions.create_person('ab-sam@example.com', 'Sam (substitute)', 'ab_sam') AS sam,
       actions.create_person('ab-kim@example.com', 'Kim', 'ab_kim') AS kim,
       actions.create_person('ab-ian@example.com', 'Ian (issuer)', 'ab_ian') AS ian,
       actions.create_person('ab-val@example.com', 'Val (approver)', 'ab_val') AS val,
       actions.create_person('ab-ivy@example.com', 'Ivy (invited)') AS ivy,
       actions.create_person('ab-out@example.com', 'Outsider') AS outsider
\gset
SELECT actions.create_workspace('Absence Co', owner_id => :owner) AS ws \gset
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.create_role(:ws, 'approver', '{view_actions,approve_delegations}') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.add_member(:ws, :amy, 'user') \g /dev/null
SELECT actions.add_member(:ws, :sam, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :kim, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :ian, 'manager') \g /dev/null
SELECT actions.add_member(:ws, :val, 'approver') \g /dev/null
SELECT actions.add_member(:ws, :ivy, 'user') \g /dev/null
UPDATE actions.member SET state = 'invited' WHERE workspace_id = :ws AND person_id = :ivy;

-- Actions assigned to Amy before she is away.
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.create_action(:ws, 'Amy''s report', assignee_id => :amy) AS x \gset
SELECT actions.create_action(:ws, 'Amy''s review', assignee_id => :amy) AS y \gset
RESET SESSION AUTHORIZATION;

-- Bad input: clear errors, nothing written.
SET SESSION AUTHORIZATION ab_amy;
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now() + interval ''2 days'', now() + interval ''1 day'', %s)', :ws, :sam),
    '22023', 'the absence ends before it starts', 'an absence that ends before it starts: 22023');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now() - interval ''2 days'', now() - interval ''1 day'', %s)', :ws, :sam),
    '22023', 'the absence is over already', 'an absence already over: 22023');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now(), now() + interval ''1 day'', %s)', :ws, :amy),
    '22023', 'a member cannot be their own substitute', 'the substitute is the absent member: 22023');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now(), now() + interval ''1 day'', %s)', :ws, :ivy),
    '22023', format('person %s cannot be a substitute', :ivy), 'an invited (not active) substitute: 22023');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now(), now() + interval ''1 day'', %s)', :ws, :outsider),
    '22023', format('person %s cannot be a substitute', :outsider), 'a substitute who is no member: 22023');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now(), ''infinity'', %s)', :ws, :sam),
    '22008', 'ends_at must be finite', 'an absence without end: 22008');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, NULL, now(), %s)', :ws, :sam),
    '22004', 'starts_at must not be null', 'no start: 22004');
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now(), now() + interval ''1 day'', %s, person_id => %s)', :ws, :sam, :kim),
    '42501', 'permission denied to manage workspace', 'declaring another member''s absence needs manage_workspace');
SELECT throws_ok(format('SELECT actions.declare_absence(%s + 1000, now(), now() + interval ''1 day'', %s)', :ws, :sam),
    'P0002', NULL, 'a workspace one is no member of: not found');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.absence WHERE workspace_id = :ws), 0::bigint, 'the refused declarations wrote nothing');

-- Amy is away from an hour ago for a week; Sam stands in.
SET SESSION AUTHORIZATION ab_amy;
SELECT actions.declare_absence(:ws, now() - interval '1 hour', now() + interval '7 days', :sam, note => 'holiday') AS absence \gset
SELECT throws_ok(format('SELECT actions.declare_absence(%s, now() + interval ''3 days'', now() + interval ''9 days'', %s)', :ws, :kim),
    '22023', format('the absence overlaps absence %s of person %s', :absence, :amy), 'an overlapping absence: 22023');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.absence WHERE workspace_id = :ws), 1::bigint, '... and wrote nothing');

-- Who reads it.
CREATE FUNCTION pg_temp.seen(role name, q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', role);
    EXECUTE q INTO n;
    RESET SESSION AUTHORIZATION;
    RETURN n;
END $$;
SELECT is(ARRAY[pg_temp.seen('ab_amy', 'SELECT count(*) FROM actions.absence'), pg_temp.seen('ab_sam', 'SELECT count(*) FROM actions.absence'),
                pg_temp.seen('ab_val', 'SELECT count(*) FROM actions.absence'), pg_temp.seen('ab_kim', 'SELECT count(*) FROM actions.absence')],
    ARRAY[1, 1, 1, 0]::bigint[], 'the absent member, the substitute and a member viewing all actions read the absence; others do not');

-- A new assignment to Amy goes to Sam, logged instead of Amy.
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.create_action(:ws, 'New while away', assignee_id => :amy) AS z \gset
SELECT actions.create_action(:ws, 'Reassigned while away') AS r \gset
SELECT actions.assign(:r, :amy);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :z), :sam::bigint, 'routing substitute: a new action for the absent member is the substitute''s');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :r), :sam::bigint, '... so is an assignment');
SELECT is((SELECT (detail->>'instead_of')::bigint FROM actions.activity WHERE action_id = :z AND event = 'assigned'), :amy::bigint,
    'the log says instead of whom');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :z AND person_id = :sam AND kind = 'assigned'), 1::bigint,
    'the substitute is notified of the assignment');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :x), :amy::bigint, 'actions assigned before the absence stay the absent member''s');
SET SESSION AUTHORIZATION ab_amy;
SELECT actions.create_action(:ws, 'Amy works anyway', assignee_id => :amy) AS own \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :own), :amy::bigint, 'an absent member assigning themselves keeps it');

-- Sam (actions_access: no permission of their own) sees and acts on Amy's actions.
SELECT is(pg_temp.seen('ab_sam', format('SELECT count(*) FROM actions.action WHERE action_id IN (%s, %s)', :x, :y)), 2::bigint,
    'the substitute reads the absent member''s actions (row-level security)');
SELECT is(pg_temp.seen('ab_sam', format('SELECT count(*) FROM actions.list_actions(%s) WHERE action_id IN (%s, %s)', :ws, :x, :y)), 2::bigint,
    '... the list shows them');
SELECT is(pg_temp.seen('ab_sam', format('SELECT count(*) FROM actions.action_list WHERE action_id IN (%s, %s)', :x, :y)), 2::bigint,
    '... so does the view');
SELECT is(pg_temp.seen('ab_kim', format('SELECT count(*) FROM actions.action WHERE action_id IN (%s, %s)', :x, :y)), 0::bigint,
    'another member with the same role does not');
SET SESSION AUTHORIZATION ab_sam;
SELECT is(actions.can('complete', :x), true, 'can(complete) for the substitute');
SELECT is(actions.can('reassign', :x), false, 'can(reassign) is not: the assignee could not either');
SELECT lives_ok(format('SELECT actions.complete(%s)', :x), 'the substitute completes the absent member''s action');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format($$ SELECT actor_id, (detail->>'acting_for')::bigint FROM actions.activity WHERE action_id = %s AND event = 'completed' $$, :x),
    format('VALUES (%s::bigint, %s::bigint)', :sam, :amy),
    'the log names the substitute as actor and the absent member as acting_for');
SELECT is((SELECT count(*) FROM actions.activity WHERE action_id = :x AND detail ? 'acting_for' AND event <> 'completed'), 0::bigint,
    'earlier entries are not marked');
SELECT is((SELECT count(*) FROM actions.verify_log(:ws)), 0::bigint, 'the log verifies');

-- The absence ends: Sam's standing stops at once.
SET SESSION AUTHORIZATION ab_sam;
SELECT throws_ok(format('SELECT actions.end_absence(%s)', :absence), '42501', NULL, 'the substitute cannot end the absence');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_kim;
SELECT throws_ok(format('SELECT actions.end_absence(%s)', :absence), 'P0002', format('absence %s not found', :absence),
    'a member who cannot read the absence: not found');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_amy;
SELECT lives_ok(format('SELECT actions.end_absence(%s)', :absence), 'the absent member ends the absence');
SELECT throws_ok(format('SELECT actions.end_absence(%s)', :absence), '55000', format('absence %s is over already', :absence),
    'ending it again: 55000');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_sam;
SELECT is(actions.can('start', :y), false, 'after the absence ended: can(start) is false at once');
SELECT throws_ok(format('SELECT actions.start(%s)', :y), 'P0002', NULL, '... and start is refused as not found');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.seen('ab_sam', format('SELECT count(*) FROM actions.action WHERE action_id = %s', :y)), 0::bigint,
    '... nor does row-level security show it');

-- A substitute who is removed from the workspace stops at once.
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.declare_absence(:ws, now(), now() + interval '2 days', :sam, person_id => :amy) AS absence2 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_sam;
SELECT is(actions.can('start', :y), true, 'a manager declared a new absence: the substitute may start the action');
RESET SESSION AUTHORIZATION;
UPDATE actions.member SET state = 'removed' WHERE workspace_id = :ws AND person_id = :sam;
SET SESSION AUTHORIZATION ab_sam;
SELECT throws_ok(format('SELECT actions.start(%s)', :y), 'P0002', NULL, 'the substitute removed from the workspace: refused at once');
RESET SESSION AUTHORIZATION;
UPDATE actions.member SET state = 'active' WHERE workspace_id = :ws AND person_id = :sam;

-- A delegation to the absent member goes to the substitute too, logged instead of them.
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.create_action(:ws, 'Kim''s task', assignee_id => :kim) AS kt \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_kim;
SELECT actions.delegate(:kt, :amy);
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT assignee_id, delegated_by, delegation FROM actions.action WHERE action_id = %s', :kt),
    format($$ VALUES (%s::bigint, %s::bigint, 'pending'::text) $$, :sam, :kim),
    'a delegation to the absent member goes to the substitute, still returning to the delegator');
SELECT is((SELECT (detail->>'instead_of')::bigint FROM actions.activity WHERE action_id = :kt AND event = 'delegated'), :amy::bigint,
    '... and the log says instead of whom');

-- Routing 'both': the absent member keeps it, the substitute is told.
SET SESSION AUTHORIZATION ab_amy;
SELECT throws_ok(format('SELECT actions.set_absence_routing(%s, ''both'')', :ws), '42501', NULL, 'routing needs manage_workspace');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_owner;
SELECT throws_ok(format('SELECT actions.set_absence_routing(%s, ''either'')', :ws), '22023', 'unknown absence routing "either"', 'an unknown routing: 22023');
SELECT actions.set_absence_routing(:ws, 'both');
SELECT actions.create_action(:ws, 'Shared while away', assignee_id => :amy) AS both_id \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :both_id), :amy::bigint, 'routing both: the absent member stays the assignee');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :both_id AND person_id = :sam AND kind = 'substitute'), 1::bigint,
    '... and the substitute gets a substitute notification');
SELECT is(pg_temp.seen('ab_sam', format('SELECT count(*) FROM actions.action WHERE action_id = %s', :both_id)), 1::bigint,
    '... and sees it');

-- Eligibility still holds: Ian, the delegation's issuer, substitutes for the approver Val.
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.set_workflow(:ws, 'delegation_approval', true) \g /dev/null
SELECT actions.create_record(:ws, 'Spend up to 5k', 'delegation') AS d \gset
SELECT actions.add_party(:d, 'issuer', :ian) \g /dev/null
SELECT actions.submit_delegation(:d) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT action_id AS approval FROM actions.action WHERE record_id = :d AND workflow = 'delegation_approval' \gset
UPDATE actions.action SET assignee_id = :val WHERE action_id = :approval;
SET SESSION AUTHORIZATION ab_owner;
SELECT actions.declare_absence(:ws, now(), now() + interval '2 days', :ian, person_id => :val) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION ab_ian;
SELECT is(actions.can('approve', :approval), false, 'the issuer as the approver''s substitute: can(approve) is false');
SELECT throws_like(format('SELECT actions.record_outcome(%s, ''approved'')', :approval), '%issuer%',
    '... and record_outcome is refused: the issuer never approves their own delegation');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status FROM actions.action WHERE action_id = :approval), 'to_do', '... the approval is still open');

SELECT * FROM finish();
ROLLBACK;
