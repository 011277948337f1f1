-- Delegation with return (actions.delegate, resolve): the assignee hands an action to another
-- active member; the delegate works on it and resolves it (it cannot complete it), and it returns
-- to the assignee, who completes it or delegates again. The log shows both people; the delegate
-- and the returning assignee are notified; the delegator keeps seeing it. Bad input: a delegate
-- who is no member, resolve by someone who is not the delegate.
BEGIN;
SELECT plan(34);

CREATE ROLE dl_owner LOGIN;
CREATE ROLE dl_alice LOGIN;
CREATE ROLE dl_bob LOGIN;
CREATE ROLE dl_carol LOGIN;
SELECT actions.create_person('dl-owner@example.com', 'Owner', 'dl_owner') AS owner \gset
SELECT actions.create_person('dl-alice@example.com', 'Alice', 'dl_alice') AS alice \gset
SELECT actions.create_person('dl-bob@example.com', 'Bob', 'dl_bob') AS bob \gset
SELECT actions.create_person('dl-carol@example.com', 'Carol', 'dl_carol') AS carol \gset
SELECT actions.create_person('dl-stranger@example.com', 'Stranger', NULL) AS stranger \gset
SELECT actions.create_person('dl-invited@example.com', 'Invited', NULL) AS invited \gset
SELECT actions.create_workspace('Delegation Co', owner_id => :owner) AS ws \gset
SELECT actions.add_member(:ws, :alice, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :bob, 'actions_access') \g /dev/null
SELECT actions.add_member(:ws, :carol, 'actions_access') \g /dev/null

SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'Sign the lease', assignee_id => :alice) AS act \gset
SELECT actions.create_action(:ws, 'Spare') AS spare \gset
SELECT actions.assign_by_email(:spare, 'dl-invited@example.com') \g /dev/null
-- Only the assignee delegates: not even the owner.
SELECT throws_ok(format('SELECT actions.delegate(%s, %s)', :act, :bob), '42501', 'permission denied to delegate action',
    'someone who is not the assignee may not delegate');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION dl_alice;
SELECT is(actions.can('delegate', :act), true, 'the assignee may delegate');
-- bad input: delegates who are no active member, or the assignee herself
SELECT throws_ok(format('SELECT actions.delegate(%s, %s)', :act, :stranger), '22023',
    format('person %s is not an active member of workspace %s', :stranger, :ws), 'a delegate who is no member is refused');
SELECT throws_ok(format('SELECT actions.delegate(%s, %s)', :act, :alice), '22023', 'cannot delegate an action to yourself',
    'nor the assignee herself');
SELECT throws_ok(format('SELECT actions.delegate(%s, %s)', :act, :invited), '22023',
    format('person %s is not an active member of workspace %s', :invited, :ws), 'nor an invited member who has not accepted');
SELECT throws_ok(format('SELECT actions.resolve(%s)', :act), '55000', format('action %s is not delegated', :act),
    'nothing to resolve before a delegation');
SELECT lives_ok(format('SELECT actions.delegate(%s, %s)', :act, :bob), 'the assignee delegates to Bob');
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'and still sees the action');
SELECT is((SELECT count(*) FROM actions.action_list WHERE action_id = :act), 1::bigint, 'in the list too');
SELECT is(actions.can('view', :act), true, 'can() agrees');
SELECT throws_ok(format('SELECT actions.resolve(%s)', :act), '42501', 'permission denied to resolve action',
    'the delegator may not resolve it');
SELECT throws_ok(format('SELECT actions.complete(%s)', :act), '42501', 'permission denied to complete action',
    'nor complete it while Bob has it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id, delegated_by, delegation)::text FROM actions.action WHERE action_id = :act),
    format('(%s,%s,pending)', :bob, :alice), 'Bob is the assignee, Alice delegated it, pending');
SELECT is((SELECT (event, old_value, new_value, actor_id, detail->>'delegated_by')::text FROM actions.activity
            WHERE action_id = :act ORDER BY seq DESC LIMIT 1),
    format('(delegated,%s,%s,%s,%s)', :alice, :bob, :alice, :alice), 'the log shows both people');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :act AND person_id = :bob AND kind = 'delegated'),
    1::bigint, 'the delegate is notified');

SET SESSION AUTHORIZATION dl_bob;
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 1::bigint, 'the delegate sees it');
SELECT lives_ok(format('SELECT actions.start(%s)', :act), 'the delegate works on it');
SELECT throws_ok(format('SELECT actions.complete(%s)', :act), '55000',
    format('action %s is delegated and cannot be completed', :act), 'the delegate cannot complete it');
SELECT matches(actions.why_not('complete', :act), 'resolves it; it then returns to person', 'why_not explains');
SELECT throws_ok(format('SELECT actions.delegate(%s, %s)', :act, :carol), '55000', format('action %s is already delegated', :act),
    'the delegate cannot pass it on');
SELECT lives_ok(format('SELECT actions.resolve(%s)', :act), 'the delegate resolves it');
SELECT is((SELECT count(*) FROM actions.action WHERE action_id = :act), 0::bigint, 'and no longer sees it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id, delegated_by, delegation, status)::text FROM actions.action WHERE action_id = :act),
    format('(%s,%s,resolved,in_progress)', :alice, :alice), 'back with Alice, resolved, still in progress');
SELECT is((SELECT (event, old_value, new_value, actor_id)::text FROM actions.activity WHERE action_id = :act ORDER BY seq DESC LIMIT 1),
    format('(resolved,%s,%s,%s)', :bob, :alice, :bob), 'the return is logged with both people');
SELECT is((SELECT count(*) FROM actions.notification WHERE action_id = :act AND person_id = :alice AND kind = 'resolved'),
    1::bigint, 'the assignee is notified of the return');

-- bad input: resolve by a non-delegate (after it returned, and by someone else while pending)
SET SESSION AUTHORIZATION dl_bob;
SELECT throws_ok(format('SELECT actions.resolve(%s)', :act), 'P0002', format('action %s not found', :act),
    'the former delegate cannot resolve again (no longer sees it)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_alice;
SELECT lives_ok(format('SELECT actions.delegate(%s, %s)', :act, :carol), 'delegated again, to Carol');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_owner;
SELECT throws_ok(format('SELECT actions.resolve(%s)', :act), '42501', 'permission denied to resolve action',
    'a manager who is not the delegate may not resolve it');
SELECT throws_ok(format('SELECT actions.complete(%s)', :act), '55000', format('action %s is delegated and cannot be completed', :act),
    'nor complete it while the delegation is pending');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_carol;
SELECT lives_ok(format('SELECT actions.resolve(%s)', :act), 'Carol resolves it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_alice;
SELECT lives_ok(format('SELECT actions.complete(%s)', :act), 'the assignee completes it');
RESET SESSION AUTHORIZATION;

-- A direct write of the delegation is refused; a reassignment ends a pending delegation.
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.create_action(:ws, 'File the minutes', assignee_id => :alice) AS act2 \gset
RESET SESSION AUTHORIZATION;
SELECT throws_ok(format($$UPDATE actions.action SET delegation = 'pending', delegated_by = %s WHERE action_id = %s$$, :bob, :act2),
    '42501', 'cannot change claimed, delegated_by or delegation of an action', 'the markers change only with the assignee');
SET SESSION AUTHORIZATION dl_alice;
SELECT actions.delegate(:act2, :bob) \g /dev/null
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION dl_owner;
SELECT actions.reassign(:act2, :carol) \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT is((SELECT (assignee_id, delegated_by IS NULL, delegation IS NULL)::text FROM actions.action WHERE action_id = :act2),
    format('(%s,t,t)', :carol), 'a reassignment ends the delegation');
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws), 'the log verifies');

SELECT * FROM finish();
ROLLBACK;
