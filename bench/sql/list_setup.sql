-- List benchmark set-up, run by bench/list.sh as postgres after bench/sql/access_setup.sql in the
-- same database (one workspace :ws, 10,000 members, 1,000 groups, :actions actions). Gives the
-- actions what a list shows and filters on (triggers off, as access_setup.sql loads them):
-- titles and descriptions from a small vocabulary (one rare word), due dates over two years
-- around now (10% none; the others, and the attributes below, drawn by a hash of the id, so none
-- of them follows the order of another), every priority, 1% unassigned, 10% linked to one of 1,000 records
-- (half of them of kind 'contract'), 5% of type review; then lets the measured person read the
-- tables the hand-written baseline joins.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
INSERT INTO actions.record_kind (workspace_id, kind) VALUES (:ws, 'contract') ON CONFLICT DO NOTHING;
INSERT INTO actions.record (workspace_id, kind, title)
SELECT :ws, CASE WHEN i % 2 = 0 THEN 'contract' ELSE 'generic' END, format('Record %s', i) FROM generate_series(1, 1000) i;
CREATE TEMP TABLE rec AS SELECT row_number() OVER (ORDER BY record_id) - 1 AS k, record_id FROM actions.record WHERE workspace_id = :ws;
CREATE TEMP TABLE words (k int, w text);
INSERT INTO words VALUES (0, 'boiler'), (1, 'invoice'), (2, 'safety'), (3, 'audit'), (4, 'contract'), (5, 'training'),
    (6, 'review'), (7, 'supplier'), (8, 'inspection'), (9, 'renewal'), (10, 'payroll'), (11, 'warehouse');
ALTER TABLE actions.action DISABLE TRIGGER USER;
UPDATE actions.action a
   SET title = initcap(w1.w) || ' ' || w2.w || ' ' || (a.action_id % 997)
               || CASE WHEN a.action_id % 5000 = 7 THEN ' zeppelin' ELSE '' END,
       description = 'About the ' || w3.w || ' of ' || w1.w,
       due_at = CASE WHEN a.action_id % 10 = 0 THEN NULL
                     ELSE date_trunc('day', now()) - interval '1 year' + (abs(hashint8(a.action_id)) % 730) * interval '1 day' + interval '17 hours' END,
       priority = (actions.list_vocabulary('priority'))[1 + a.action_id % 4],
       assignee_id = CASE WHEN abs(hashint8(a.action_id + 1)) % 100 = 50 THEN NULL ELSE a.assignee_id END,
       record_id = CASE WHEN abs(hashint8(a.action_id + 2)) % 10 = 3 THEN r.record_id END,
       type = CASE WHEN abs(hashint8(a.action_id + 3)) % 20 = 9 THEN 'review' ELSE 'task' END,
       updated_at = a.created_at + (a.action_id * 104729 % 100000) * interval '1 second'
  FROM words w1, words w2, words w3, rec r
 WHERE w1.k = a.action_id % 12 AND w2.k = (a.action_id / 12) % 12 AND w3.k = (a.action_id / 144) % 12
   AND r.k = a.action_id % 1000 AND a.workspace_id = :ws;
ALTER TABLE actions.action ENABLE TRIGGER USER;
-- The baseline is the same query written by hand as the login role: it joins people, records and
-- groups, which the extension does not let members read; this database lets acc_wide and acc_listed.
GRANT SELECT ON actions.person, actions.record TO acc_wide, acc_listed;
