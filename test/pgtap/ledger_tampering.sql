-- Several kinds of tampering at once in one workspace, after its digest was kept outside:
-- actions.verify_ledger() reports every one of them (one row per action that differs), the seals
-- first, then the broken chains, then the action rows that differ from their logs; verify_log still
-- stops at its first difference.
BEGIN;
SELECT plan(6);

CREATE ROLE lt_owner LOGIN;
SELECT actions.create_person('lt.owner@example.org', 'Tamper Owner', 'lt_owner') AS owner \gset
SELECT actions.create_workspace('Tampered', 'UTC', NULL, :owner) AS ws \gset
SET SESSION AUTHORIZATION lt_owner;
SELECT actions.create_action(:ws, 'Chain to delete') AS gone \gset
SELECT actions.create_action(:ws, 'Title to edit', description => 'details') AS retitled \gset
SELECT actions.create_action(:ws, 'Entry to edit') AS edited \gset
SELECT actions.create_action(:ws, 'Untouched') AS untouched \gset
SELECT actions.create_action(:ws, 'Row to delete') AS deleted \gset
SELECT actions.start(:edited), actions.update_action(:retitled, title => 'Title, renamed') \g /dev/null
RESET SESSION AUTHORIZATION;
SELECT actions.ledger_digest(:ws) AS digest \gset
SELECT is_empty(format('SELECT * FROM actions.verify_ledger(%s, %L)', :ws, :'digest'), 'clean before the tampering');

-- The superuser's tampering, guards off.
ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
ALTER TABLE actions.activity_head DISABLE TRIGGER activity_head_guard;
-- 1. One action's chain and head deleted.
DELETE FROM actions.activity WHERE action_id = :gone;
DELETE FROM actions.activity_head WHERE action_id = :gone;
-- 2. Another action's title edited in replica mode (no log entry).
SET session_replication_role = replica;
UPDATE actions.action SET title = 'Edited behind the log' WHERE action_id = :retitled;
-- 3. A third action's row deleted in replica mode.
DELETE FROM actions.action WHERE action_id = :deleted;
-- 4. A row inserted in replica mode, with no log.
INSERT INTO actions.action (workspace_id, title, owner_id) VALUES (:ws, 'Smuggled in', :owner) RETURNING action_id AS smuggled \gset
SET session_replication_role = origin;
-- 5. A log entry of a fourth action edited in place.
UPDATE actions.activity SET new_value = 'Never started' WHERE action_id = :edited AND seq = (SELECT max(seq) FROM actions.activity WHERE action_id = :edited);

SELECT results_eq(format('SELECT seal_no, action_id, problem FROM actions.verify_ledger(%s, %L)', :ws, :'digest'),
    format($$VALUES (NULL::bigint, %s::bigint, 'action is missing: seal 1 holds its chain up to seq 1, the log has no entry'),
                    (NULL, %s, 'entry was altered: hash does not match its contents'),
                    (NULL, %s, 'title of the row differs from its log'),
                    (NULL, %s, 'the action row is missing but its log records no deletion'),
                    (NULL, %s, 'the action row has no created entry in the log')$$,
           :gone, :edited, :retitled, :deleted, :smuggled),
    'verify_ledger reports every difference: the chains, then the rows, each in the order of the actions');
SELECT is((SELECT count(*) FROM actions.verify_log(:ws)), 1::bigint, 'verify_log reports the first difference only');
SELECT is((SELECT action_id || ': ' || problem FROM actions.verify_log(:ws)), :gone || ': the action row has no created entry in the log',
          'the first action that differs: a row whose chain is gone');

-- 6. A seal edited by hand as well: reported first, and the actions still after it.
ALTER TABLE actions.ledger_seal DISABLE TRIGGER ledger_seal_immutable;
UPDATE actions.ledger_seal SET sealed_at = sealed_at - interval '1 hour' WHERE workspace_id = :ws;
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER ledger_seal_immutable;
SELECT is((SELECT problem FROM actions.verify_ledger(:ws, :'digest') LIMIT 1),
          'seal 1 was rewritten: its hash does not match its contents', 'the seal first');
SELECT bag_has(format('SELECT action_id, problem FROM actions.verify_ledger(%s, %L)', :ws, :'digest'),
    format($$VALUES (%s::bigint, 'title of the row differs from its log'), (%s, 'the action row has no created entry in the log')$$,
           :retitled, :smuggled),
    'then the rows that differ from their logs');

SELECT * FROM finish();
ROLLBACK;
