-- The ledger: a digest taken by actions.ledger_digest() and kept outside the database pins every
-- entry sealed so far. Each way a superuser can rewrite history is tried on a workspace of its
-- own, after the digest was taken, and actions.verify_ledger() must name it. The superuser here
-- disables the log's guards as an attacker would, and recomputes hashes with the public encoding.
BEGIN;
SELECT plan(36);

CREATE ROLE lg_owner LOGIN;
SELECT actions.create_person('lg.owner@example.org', 'Ledger Owner', 'lg_owner') AS owner \gset
SELECT actions.create_person('lg.other@example.org', 'Ledger Other') AS other \gset
SELECT actions.create_workspace('Clean', 'UTC', NULL, :owner) AS ws_clean,
       actions.create_workspace('Naive edit', 'UTC', NULL, :owner) AS ws_naive,
       actions.create_workspace('Recomputed', 'UTC', NULL, :owner) AS ws_recomputed,
       actions.create_workspace('Chain gone', 'UTC', NULL, :owner) AS ws_gone,
       actions.create_workspace('Tail cut', 'UTC', NULL, :owner) AS ws_cut,
       actions.create_workspace('Forged', 'UTC', NULL, :owner) AS ws_forged,
       actions.create_workspace('Replica', 'UTC', NULL, :owner) AS ws_replica,
       actions.create_workspace('Seal edit', 'UTC', NULL, :owner) AS ws_seal,
       actions.create_workspace('Seals redone', 'UTC', NULL, :owner) AS ws_redone
\gset
SELECT actions.add_member(w, :other, 'user')
  FROM unnest(ARRAY[:ws_clean, :ws_naive, :ws_recomputed, :ws_gone, :ws_cut, :ws_forged, :ws_replica, :ws_seal, :ws_redone]) AS w
\g /dev/null

-- Two actions with a little history in each workspace.
CREATE TEMP TABLE made (ws bigint, a bigint, b bigint);
GRANT ALL ON made TO PUBLIC;
SET SESSION AUTHORIZATION lg_owner;
INSERT INTO made
SELECT w, actions.create_action(w, 'First of ' || w, assignee_id => :owner, description => 'details'),
          actions.create_action(w, 'Second of ' || w, due_at => now() + interval '3 days', priority => 'high')
  FROM unnest(ARRAY[:ws_clean, :ws_naive, :ws_recomputed, :ws_gone, :ws_cut, :ws_forged, :ws_replica, :ws_seal, :ws_redone]) AS w;
SELECT actions.start(a), actions.reassign(a, :other), actions.update_action(b, title => 'Second, renamed')
  FROM made \g /dev/null
RESET SESSION AUTHORIZATION;

-- The digest each workspace's DBA keeps outside.
CREATE TEMP TABLE kept AS SELECT ws, actions.ledger_digest(ws) AS digest FROM made;

-- How an attacker recomputes an action's chain and head after editing it: the encoding is public.
CREATE FUNCTION pg_temp.rehash(action bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    e record;
    prev bytea := decode(repeat('00', 32), 'hex');
    h bytea;
    last integer;
BEGIN
    FOR e IN SELECT * FROM actions.activity WHERE action_id = action ORDER BY seq LOOP
        h := sha256(prev || convert_to('pg_actions.log.v1' || E'\n'
             || e.workspace_id || ';' || e.action_id || ';' || e.seq || ';'
             || octet_length(convert_to(e.event, 'UTF8')) || ':' || e.event || ';'
             || coalesce(octet_length(convert_to(e.old_value, 'UTF8')) || ':' || e.old_value || ';', '-;')
             || coalesce(octet_length(convert_to(e.new_value, 'UTF8')) || ':' || e.new_value || ';', '-;')
             || coalesce(octet_length(convert_to(e.detail::text, 'UTF8')) || ':' || e.detail::text || ';', '-;')
             || coalesce(e.actor_id || ';', '-;')
             || octet_length(convert_to(e.db_role::text, 'UTF8')) || ':' || e.db_role || ';'
             || ((extract(epoch FROM e.at) * 1000000)::bigint - 946684800000000) || ';', 'UTF8'));
        UPDATE actions.activity SET prev_hash = prev, hash = h WHERE action_id = action AND seq = e.seq;
        prev := h;
        last := e.seq;
    END LOOP;
    UPDATE actions.activity_head SET seq = last, hash = prev WHERE action_id = action;
END
$$;

-- Guards off, as only a superuser can.
ALTER TABLE actions.activity DISABLE TRIGGER activity_immutable;
ALTER TABLE actions.activity_head DISABLE TRIGGER activity_head_guard;

-- ---------------------------------------------------------------------------------------------
SELECT is_empty(format('SELECT * FROM actions.verify_ledger(%s, %L)', :ws_clean,
                       (SELECT digest FROM kept WHERE ws = :ws_clean)),
                'an untouched workspace verifies clean against its digest');
SELECT is((SELECT digest ->> 'seal' FROM kept WHERE ws = :ws_clean), '1', 'the first digest is of seal 1');
SELECT ok((SELECT digest ? 'hash' AND digest ? 'root' AND digest ? 'sealed_at' AND (digest ->> 'workspace_id')::bigint = :ws_clean
             FROM kept WHERE ws = :ws_clean), 'a digest names its workspace, seal, hash, root and time');
SELECT is(actions.ledger_digest(:ws_clean), (SELECT digest FROM kept WHERE ws = :ws_clean),
          'nothing changed: the digest is the same seal');

-- Later work seals on: the old digest still holds, the new one too.
SET SESSION AUTHORIZATION lg_owner;
SELECT actions.cancel(b, 'not needed') FROM made WHERE ws = :ws_clean \g /dev/null
SELECT actions.create_action(:ws_clean, 'Third') AS third \gset
RESET SESSION AUTHORIZATION;
SELECT actions.ledger_digest(:ws_clean) AS clean2 \gset
SELECT is(:'clean2'::jsonb ->> 'seal', '2', 'changes make seal 2');
SELECT is((SELECT leaf_count FROM actions.ledger_seal WHERE workspace_id = :ws_clean AND seal_no = 2), 2::bigint,
          'seal 2 holds only the two chains that changed');
SELECT is_empty(format('SELECT * FROM actions.verify_ledger(%s, %L)', :ws_clean,
                       jsonb_build_array((SELECT digest FROM kept WHERE ws = :ws_clean), :'clean2'::jsonb)),
                'both digests verify');

-- 1. An entry edited in place: its hash no longer matches.
UPDATE actions.activity SET new_value = 'Something else' WHERE action_id = (SELECT b FROM made WHERE ws = :ws_naive) AND seq = 1;
SELECT results_eq(format('SELECT action_id, seq, problem FROM actions.verify_ledger(%s, %L)', :ws_naive,
                         (SELECT digest FROM kept WHERE ws = :ws_naive)),
                  format($$VALUES (%s::bigint, 1, 'entry was altered: hash does not match its contents')$$,
                         (SELECT b FROM made WHERE ws = :ws_naive)),
                  'an edited entry is reported');

-- 2. An entry edited and every following hash and the head recomputed: the chain is consistent,
--    verify_log finds nothing, but it differs from what the seal holds.
UPDATE actions.activity SET new_value = 'Quietly renamed' WHERE action_id = (SELECT a FROM made WHERE ws = :ws_recomputed) AND seq = 1;
UPDATE actions.action SET title = 'Quietly renamed' WHERE action_id = (SELECT a FROM made WHERE ws = :ws_recomputed);
SELECT pg_temp.rehash(a) FROM made WHERE ws = :ws_recomputed \g /dev/null
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws_recomputed),
                'a recomputed chain passes verify_log (the encoding is public)');
SELECT matches((SELECT problem FROM actions.verify_ledger(:ws_recomputed, (SELECT digest FROM kept WHERE ws = :ws_recomputed))),
               '^entry differs from seal 1: the chain was rewritten',
               'verify_ledger reports the recomputed chain');
SELECT is((SELECT seq FROM actions.verify_ledger(:ws_recomputed, (SELECT digest FROM kept WHERE ws = :ws_recomputed))),
          (SELECT max(u.seq) FROM actions.ledger_leaf f, unnest(f.action_ids, f.seqs) u(action_id, seq)
            WHERE u.action_id = (SELECT a FROM made WHERE ws = :ws_recomputed)),
          'at the entry the seal holds');

-- 3. An action's whole chain and head deleted (and its row, under replica).
DELETE FROM actions.activity WHERE action_id = (SELECT a FROM made WHERE ws = :ws_gone);
DELETE FROM actions.activity_head WHERE action_id = (SELECT a FROM made WHERE ws = :ws_gone);
SET session_replication_role = replica;
DELETE FROM actions.action WHERE action_id = (SELECT a FROM made WHERE ws = :ws_gone);
SET session_replication_role = origin;
SELECT is_empty(format('SELECT * FROM actions.verify_log(%s)', :ws_gone),
                'a vanished action leaves nothing verify_log can see');
SELECT matches((SELECT problem FROM actions.verify_ledger(:ws_gone, (SELECT digest FROM kept WHERE ws = :ws_gone))),
               '^action is missing: seal 1 holds its chain up to seq \d+, the log has no entry',
               'verify_ledger reports the missing action');
SET session_replication_role = replica;
INSERT INTO actions.action (workspace_id, title, owner_id) VALUES (:ws_gone, 'Smuggled in', :owner) RETURNING action_id AS smuggled \gset
SET session_replication_role = origin;
SELECT results_eq(format('SELECT action_id, seq, problem FROM actions.verify_log(%s)', :ws_gone),
                  format($$VALUES (%s::bigint, NULL::integer, 'the action row has no created entry in the log')$$, :smuggled),
                  'a row inserted without its log is reported');

-- 4. The newest entries removed and the head moved back onto the remaining chain.
DELETE FROM actions.activity WHERE action_id = (SELECT a FROM made WHERE ws = :ws_cut)
   AND seq > (SELECT min(seq) FROM actions.activity WHERE action_id = (SELECT a FROM made WHERE ws = :ws_cut) AND event = 'started');
SELECT pg_temp.rehash(a) FROM made WHERE ws = :ws_cut \g /dev/null
SELECT matches((SELECT problem FROM actions.verify_ledger(:ws_cut, (SELECT digest FROM kept WHERE ws = :ws_cut))),
               '^entries were removed: seal 1 holds seq \d+, the log ends at seq \d+',
               'verify_ledger reports the removed entries');

-- 5. A forged entry appended (hashes and head recomputed), dated before the seal.
INSERT INTO actions.activity (workspace_id, action_id, seq, event, old_value, new_value, actor_id, db_role, at, prev_hash, hash)
SELECT :ws_forged, b, 3, 'reassigned', NULL, :'other', :owner, 'lg_owner', now() - interval '1 day', '\x', '\x'
  FROM made WHERE ws = :ws_forged;
SELECT pg_temp.rehash(b) FROM made WHERE ws = :ws_forged \g /dev/null
SELECT matches((SELECT problem FROM actions.verify_ledger(:ws_forged, (SELECT digest FROM kept WHERE ws = :ws_forged))),
               '^entry dated .* is in no seal although seal 1 covers that time: it was inserted afterwards',
               'verify_ledger reports the forged entry');

-- 6. Action rows changed and deleted under session_replication_role = replica: no log entry.
SET session_replication_role = replica;
UPDATE actions.action SET assignee_id = :owner, status = 'complete', completed_at = now()
 WHERE action_id = (SELECT a FROM made WHERE ws = :ws_replica);
SET session_replication_role = origin;
SELECT results_eq(format('SELECT action_id, problem FROM actions.verify_log(%s)', :ws_replica),
                  format($$VALUES (%s::bigint, 'status of the row differs from its log')$$,
                         (SELECT a FROM made WHERE ws = :ws_replica)),
                  'verify_log reports a row changed without its log');
SELECT results_eq(format('SELECT action_id, problem FROM actions.verify_ledger(%s, %L)', :ws_replica,
                         (SELECT digest FROM kept WHERE ws = :ws_replica)),
                  format($$VALUES (%s::bigint, 'status of the row differs from its log')$$,
                         (SELECT a FROM made WHERE ws = :ws_replica)),
                  'so does verify_ledger');
SET session_replication_role = replica;
UPDATE actions.action SET status = 'in_progress', completed_at = NULL, assignee_id = :other
 WHERE action_id = (SELECT a FROM made WHERE ws = :ws_replica);
DELETE FROM actions.action WHERE action_id = (SELECT b FROM made WHERE ws = :ws_replica);
SET session_replication_role = origin;
SELECT results_eq(format('SELECT action_id, problem FROM actions.verify_log(%s)', :ws_replica),
                  format($$VALUES (%s::bigint, 'the action row is missing but its log records no deletion')$$,
                         (SELECT b FROM made WHERE ws = :ws_replica)),
                  'a row deleted without its log is reported');
-- 7. A seal rewritten by hand, and a ledger whose every seal was recomputed.
ALTER TABLE actions.ledger_seal DISABLE TRIGGER ledger_seal_immutable;
ALTER TABLE actions.ledger_leaf DISABLE TRIGGER ledger_leaf_immutable;
UPDATE actions.ledger_seal SET sealed_at = sealed_at - interval '1 hour' WHERE workspace_id = :ws_seal;
SELECT results_eq(format('SELECT seal_no, problem FROM actions.verify_ledger(%s, %L)', :ws_seal,
                         (SELECT digest FROM kept WHERE ws = :ws_seal)),
                  $$VALUES (1::bigint, 'seal 1 was rewritten: its hash does not match its contents')$$,
                  'a seal edited by hand is reported');
UPDATE actions.ledger_leaf SET hashes = ARRAY(SELECT sha256(h) FROM unnest(hashes) h) WHERE workspace_id = :ws_seal;
SELECT results_eq(format('SELECT seal_no, action_id, problem FROM actions.verify_ledger(%s, NULL)', :ws_seal),
                  format($$VALUES (1::bigint, NULL::bigint, 'seal 1''s leaves were changed: 2 found, 2 sealed, or their Merkle root differs'),
                                  (NULL, %s, 'entry differs from seal 1: the chain was rewritten after it was sealed'),
                                  (NULL, %s, 'entry differs from seal 1: the chain was rewritten after it was sealed')$$,
                         (SELECT min(a) FROM actions.ledger_leaf, unnest(action_ids) a WHERE workspace_id = :ws_seal),
                         (SELECT max(a) FROM actions.ledger_leaf, unnest(action_ids) a WHERE workspace_id = :ws_seal)),
                  'leaves edited under a seal are reported, the seal first, then each chain they no longer hold');
-- The attacker rewrites an entry, the leaf, the seal's root and hash consistently: only the
-- digest kept outside tells.
UPDATE actions.activity SET new_value = 'Never happened' WHERE action_id = (SELECT b FROM made WHERE ws = :ws_redone) AND seq = 1;
UPDATE actions.action SET title = 'Never happened' WHERE action_id = (SELECT b FROM made WHERE ws = :ws_redone);
SELECT pg_temp.rehash(b) FROM made WHERE ws = :ws_redone \g /dev/null
UPDATE actions.ledger_leaf f SET hashes = ARRAY(
        SELECT coalesce(h.hash, u.hash) FROM unnest(f.action_ids, f.seqs, f.hashes) WITH ORDINALITY u(a, s, hash, n)
          LEFT JOIN actions.activity_head h ON h.action_id = u.a AND h.seq = u.s ORDER BY u.n)
 WHERE f.workspace_id = :ws_redone;
DELETE FROM actions.ledger_seal WHERE workspace_id = :ws_redone;
DELETE FROM actions.ledger_leaf WHERE workspace_id = :ws_redone;
SELECT actions.seal_ledger(:ws_redone) \g /dev/null
SELECT is_empty(format('SELECT * FROM actions.verify_ledger(%s, NULL)', :ws_redone),
                'a consistently rebuilt ledger passes without a digest');
SELECT results_eq(format('SELECT seal_no, problem FROM actions.verify_ledger(%s, %L)', :ws_redone,
                         (SELECT digest FROM kept WHERE ws = :ws_redone)),
                  $$VALUES (1::bigint, 'seal 1 differs from the digest kept outside: the ledger was rewritten')$$,
                  'the digest kept outside reveals it');
SELECT matches((SELECT problem FROM actions.verify_ledger(:ws_redone, jsonb_build_object('workspace_id', :ws_redone, 'seal', 7, 'hash', repeat('0', 64)))),
               '^seal 7 of the digest is missing: the ledger holds seals 1 to 1', 'a digest of a seal the ledger lacks');
ALTER TABLE actions.ledger_seal ENABLE ALWAYS TRIGGER ledger_seal_immutable;
ALTER TABLE actions.ledger_leaf ENABLE ALWAYS TRIGGER ledger_leaf_immutable;

-- The ledger is append-only for everyone, and not for PUBLIC at all.
SELECT throws_ok(format('UPDATE actions.ledger_seal SET leaf_count = 0 WHERE workspace_id = %s', :ws_clean), '42501',
                 'cannot update actions.ledger_seal: the ledger is append-only', 'seals cannot be edited');
SELECT throws_ok('TRUNCATE actions.ledger_leaf', '42501', NULL, 'leaves cannot be truncated');
SELECT throws_ok(format('SELECT * FROM actions.verify_ledger(%s, ''{"seal": 1}'')', :ws_clean), '22023', NULL,
                 'a malformed digest is refused');
SET SESSION AUTHORIZATION lg_owner;
SELECT throws_ok(format('SELECT actions.ledger_digest(%s)', :ws_clean), '42501', NULL, 'a member cannot seal or take digests');
SELECT throws_ok('SELECT * FROM actions.ledger_seal', '42501', NULL, 'nor read the ledger');
RESET SESSION AUTHORIZATION;

-- The seal reads the log through its BRIN index on `at`, whatever the planner would choose: asked
-- itself, it reads a small workspace's entries through the primary key (every entry that workspace
-- ever wrote, at every seal), or the whole log by a sequential scan where its statistics are stale.
SELECT actions.create_workspace('Small', 'UTC', NULL, :owner) AS ws_small,
       actions.create_workspace('Large', 'UTC', NULL, :owner) AS ws_large \gset
SET SESSION AUTHORIZATION lg_owner;
SELECT count(actions.create_action(:ws_large, 'Large ' || i)) FROM generate_series(1, 2000) i \g /dev/null
SELECT count(actions.create_action(:ws_small, 'Small ' || i)) FROM generate_series(1, 3) i \g /dev/null
RESET SESSION AUTHORIZATION;
ANALYZE actions.activity;
SELECT actions.seal_ledger(:ws_small) \g /dev/null
SET SESSION AUTHORIZATION lg_owner;
SELECT actions.create_action(:ws_small, 'Small, later') \g /dev/null
RESET SESSION AUTHORIZATION;
CREATE FUNCTION pg_temp.plan_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || sql LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
SELECT matches(pg_temp.plan_of(format('SELECT DISTINCT ON (action_id) action_id, seq, hash FROM actions.activity
                                       WHERE workspace_id = %s AND at >= %L ORDER BY action_id, seq DESC',
                                      :ws_small, (SELECT horizon FROM actions.ledger_seal WHERE workspace_id = :ws_small))),
               'activity_pkey', 'left to itself, the planner reads the small workspace''s log through the primary key');
SELECT pg_stat_get_xact_numscans('actions.activity_pkey'::regclass) AS pkey_before,
       pg_stat_get_xact_numscans('actions.activity_at_idx'::regclass) AS brin_before,
       pg_stat_get_xact_numscans('actions.activity'::regclass) AS seq_before \gset
SELECT is(actions.seal_ledger(:ws_small), 2::bigint, 'the small workspace is sealed again');
SELECT is(ARRAY[pg_stat_get_xact_numscans('actions.activity_pkey'::regclass) - :pkey_before,
                pg_stat_get_xact_numscans('actions.activity_at_idx'::regclass) - :brin_before,
                pg_stat_get_xact_numscans('actions.activity'::regclass) - :seq_before],
          ARRAY[0, 1, 0]::bigint[], 'the seal read the log once, through the BRIN index: no primary key, no sequential scan');
SELECT is((SELECT leaf_count FROM actions.ledger_seal WHERE workspace_id = :ws_small AND seal_no = 2), 1::bigint,
          'and holds the one chain that moved');
SELECT is(current_setting('enable_seqscan'), 'on', 'the planner''s settings are the session''s again');

-- 8. The log truncated with its guards disabled (last: it empties every workspace's log).
ALTER TABLE actions.activity DISABLE TRIGGER activity_no_truncate;
ALTER TABLE actions.activity_head DISABLE TRIGGER activity_head_no_truncate;
TRUNCATE actions.activity, actions.activity_head;
SELECT results_eq(format('SELECT action_id, problem ~ ''^action is missing'' FROM actions.verify_ledger(%s, %L)', :ws_clean, :'clean2'),
                  format('SELECT action_id, true FROM actions.action WHERE workspace_id = %s ORDER BY 1', :ws_clean),
                  'a truncated log is reported, every action of it');

-- 9. The extension dropped and created again: the ledger starts over, the digest kept outside
--    names the seal that is gone.
DROP EXTENSION pg_actions CASCADE;
CREATE EXTENSION pg_actions;
SELECT results_eq(format('SELECT seal_no, problem FROM actions.verify_ledger(%s, %L)', :ws_clean, :'clean2'),
                  $$VALUES (2::bigint, 'seal 2 of the digest is missing: the ledger holds no seal')$$,
                  'a dropped and recreated extension is reported');

SELECT * FROM finish();
ROLLBACK;
