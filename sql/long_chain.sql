-- A long chain: hundreds of changes to one action in one transaction and across many. Each change
-- rewrites the action's chain head, so its table pages fill and heads move off their page
-- (non-HOT updates that must maintain the index).
SET client_min_messages = warning;
DROP ROLE IF EXISTS lg_owner;
CREATE ROLE lg_owner LOGIN;
SELECT actions.create_person('long@example.com', 'Lena', 'lg_owner') AS lena \gset
SELECT actions.create_workspace('Long Chains', owner_id => :lena) AS ws \gset
SET SESSION AUTHORIZATION lg_owner;
SELECT actions.create_action(:ws, 'Version 0') AS a \gset
SELECT actions.create_action(:ws, 'Neighbour 0') AS b \gset
SELECT set_config('lg.a', :'a', false), set_config('lg.b', :'b', false) \g /dev/null
DO $$
DECLARE i int;
BEGIN
    FOR i IN 1..400 LOOP
        PERFORM actions.update_action(current_setting('lg.a')::bigint, title => 'Version ' || i);
        PERFORM actions.update_action(current_setting('lg.b')::bigint, title => 'Neighbour ' || i);
    END LOOP;
END $$;
RESET SESSION AUTHORIZATION;
SELECT action_id = :a AS first, count(*) AS entries, max(seq) AS last_seq, min(seq) AS first_seq
  FROM actions.activity WHERE workspace_id = :ws GROUP BY action_id ORDER BY action_id;
SELECT h.seq, h.hash = l.hash AS head_matches_last
  FROM actions.activity_head h JOIN actions.activity l USING (workspace_id, action_id, seq)
 WHERE h.workspace_id = :ws ORDER BY h.action_id;
-- Every head is found through its index, exactly once.
SET enable_seqscan = off;
SELECT count(*) FROM actions.activity_head WHERE workspace_id = :ws AND action_id IN (:a, :b);
RESET enable_seqscan;
SELECT * FROM actions.verify_log(:ws);
DROP ROLE lg_owner;
