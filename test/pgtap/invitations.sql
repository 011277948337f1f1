-- Assigning an action by e-mail: an outsider is created, invited as a non-billable actions_access
-- member and notified; the same e-mail again reuses the invitation; the token activates the member.
BEGIN;
SELECT plan(28);

CREATE ROLE inv_owner LOGIN;
CREATE ROLE inv_access LOGIN;
SELECT actions.create_person('inv-owner@example.com', 'Owner', 'inv_owner') AS owner \gset
SELECT actions.create_person('inv-access@example.com', 'Access', 'inv_access') AS access \gset
SELECT actions.create_person('known@example.com', 'Known Member', NULL) AS known \gset
SELECT actions.create_workspace('Invite Co', 'UTC', 'https://app.example/{workspace_id}/{action_id}', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :access, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :known, 'user') \g /dev/null

SET SESSION AUTHORIZATION inv_owner;
SELECT actions.create_action(:ws, 'Fix the gate') AS gate \gset
SELECT actions.create_action(:ws, 'Paint the gate') AS paint \gset
SELECT actions.create_action(:ws, 'Known job') AS job \gset
SELECT actions.assign_by_email(:gate, 'Vendor@Contractor.example', 'Vera Vendor') AS vera_invited \gset
RESET SESSION AUTHORIZATION;
SELECT assignee_id AS vera FROM actions.action WHERE action_id = :gate \gset
SELECT is(:'vera_invited'::boolean, true, 'assign_by_email answers that the new person is invited');

SELECT is((SELECT email || ' / ' || display_name FROM actions.person WHERE person_id = :vera),
          'Vendor@Contractor.example / Vera Vendor', 'an unknown e-mail becomes a person');
SELECT is((SELECT m.state || ' ' || r.name || ' billable=' || r.billable FROM actions.member m
             JOIN actions.role r USING (workspace_id, role_id) WHERE m.workspace_id = :ws AND m.person_id = :vera),
          'invited actions_access billable=false', 'who joins as an invited, non-billable actions_access member');
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :gate), :'vera'::bigint, 'and is the assignee');
SELECT is((SELECT count(*) FROM actions.invitation WHERE workspace_id = :ws AND person_id = :vera), 1::bigint,
          'an invitation is issued');
SELECT ok((SELECT token ~ ('^' || :ws || '\.[0-9a-f]{32}$') AND expires_at = created_at + interval '14 days' AND invited_by = :owner
             FROM actions.invitation WHERE workspace_id = :ws AND person_id = :vera),
          'with a token of its workspace and 32 random hex digits, valid for 14 days, by the owner');
SELECT results_eq(format($$SELECT kind, link FROM actions.notification WHERE person_id = %s ORDER BY notification_id$$, :vera),
          format($$VALUES ('invited'::text, 'https://app.example/%1$s/%2$s'::text), ('assigned', 'https://app.example/%1$s/%2$s')$$, :ws, :gate),
          'an invitation notification (the outbox row) and the assignment notification');
SELECT is((SELECT string_agg(event || ':' || new_value, ',' ORDER BY seq) FROM actions.activity WHERE action_id = :gate AND seq > 1),
          'assigned:' || :vera, 'the assignment is logged like any other');
SELECT token AS first_token FROM actions.invitation WHERE person_id = :vera \gset

-- The same e-mail again, in any case: the same person and the same pending invitation.
SET SESSION AUTHORIZATION inv_owner;
SELECT is(actions.assign_by_email(:paint, 'vendor@contractor.EXAMPLE'), true, 'the same e-mail: still invited');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :paint), :'vera'::bigint, 'the same e-mail finds the same person');
SELECT is((SELECT token FROM actions.invitation WHERE person_id = :vera), :'first_token', 'the pending invitation is reused');
SELECT is((SELECT count(*) FROM actions.notification WHERE person_id = :vera AND kind = 'invited'), 1::bigint,
          'and no second invitation is sent');

-- A member's e-mail: a plain assignment, no invitation.
SET SESSION AUTHORIZATION inv_owner;
SELECT is(actions.assign_by_email(:job, 'KNOWN@example.com'), false, 'an active member is not invited');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT assignee_id FROM actions.action WHERE action_id = :job), :'known'::bigint, 'a member is found by e-mail');
SELECT is((SELECT count(*) FROM actions.invitation WHERE person_id = :known), 0::bigint, 'and is not invited');
SELECT is((SELECT state FROM actions.member WHERE workspace_id = :ws AND person_id = :known), 'active', 'and stays active');

-- Who may: an actions_access member may not hand actions to anyone, by e-mail neither.
SET SESSION AUTHORIZATION inv_access;
SELECT throws_ok(format('SELECT actions.assign_by_email(%s, %L)', :gate, 'x@example.com'), 'P0002',
          format('action %s not found', :gate), 'actions_access does not even see the action');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM actions.person WHERE email = 'x@example.com'), 0::bigint, 'and nobody was created');
SET SESSION AUTHORIZATION inv_owner;
SELECT throws_ok(format('SELECT actions.assign_by_email(%s, %L)', :gate, 'not-an-address'), '22023', 'invalid value for email: "not-an-address"',
          'an e-mail address needs an @');
SELECT throws_ok(format('SELECT actions.assign_by_email(%s, NULL)', :gate), '22004', 'email must not be null',
          'a NULL e-mail is refused');
RESET SESSION AUTHORIZATION;

-- Accepting: the token activates the member once, an unknown or expired token is refused.
SELECT throws_ok($$ SELECT actions.accept_invitation('no-such-token') $$, 'P0002', 'invitation not found',
          'an unknown token is refused');
SELECT throws_ok(format('SELECT actions.accept_invitation(%L)', :ws || '.' || repeat('0', 32)), 'P0002', 'invitation not found',
                 'a token naming the right workspace with a secret that was never issued is not found');
SELECT is(actions.accept_invitation(:'first_token'), :'vera'::bigint, 'the token is accepted');
SELECT is((SELECT state FROM actions.member WHERE workspace_id = :ws AND person_id = :vera), 'active',
          'and the member is active');
SELECT throws_ok(format('SELECT actions.accept_invitation(%L)', :'first_token'), '55000',
          'invitation was already accepted', 'a token works once');
-- An expired invitation (moved into the past as the superuser) is refused, and assigning by e-mail
-- again issues a fresh one.
SELECT actions.create_person('late@example.com', 'Late', NULL) AS late \gset
SET SESSION AUTHORIZATION inv_owner;
SELECT actions.create_action(:ws, 'Late job') AS late_job \gset
SELECT actions.assign_by_email(:late_job, 'late@example.com') \g /dev/null
RESET SESSION AUTHORIZATION;
UPDATE actions.invitation SET expires_at = now() - interval '1 second', created_at = now() - interval '15 days' WHERE person_id = :late;
SELECT token AS late_token FROM actions.invitation WHERE person_id = :late \gset
SELECT throws_ok(format('SELECT actions.accept_invitation(%L)', :'late_token'), '55000', 'invitation has expired',
          'an expired token is refused');
SET SESSION AUTHORIZATION inv_owner;
SELECT actions.reassign(:late_job, :owner) \g /dev/null
SELECT actions.assign_by_email(:late_job, 'late@example.com') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT isnt((SELECT token FROM actions.invitation WHERE person_id = :late), :'late_token', 'a new token replaces the expired one');
SELECT is((SELECT count(*) FROM actions.notification WHERE person_id = :late AND kind = 'invited'), 2::bigint,
          'and is sent again');

SELECT * FROM finish();
ROLLBACK;
