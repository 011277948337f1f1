# Part (b) and (c) of bench/sweep.sh (sourced by it, after (a)): the schedule sweep.
# SCHEDULES schedules (FREQ=DAILY at a time of day about 12 hours away from now, so that none
# falls due while the bench runs; catch_up latest;
# workspace time zone UTC) owned by bench_owner, made from one template (assigned to a member, so
# each action also gets a notification); in round r the r-th block of OCCURRENCES schedules has
# its next occurrence yesterday (due), every other one tomorrow. The sweep creates one action per
# due schedule; the baseline is create_action_from_template() of the same template OCCURRENCES
# times in one statement as bench_owner, each right after a CHECKPOINT, the order alternating by
# round. Then (c): the sweep with nothing due.
TPL=$(q -U bench_owner -c "SELECT actions.create_template($WS, 'bench schedule', 'Scheduled check',
        assignee_rule => 'person', assignee_id => $MLO)") || die "template"
q <<SQL >/dev/null || die "load of $SCHEDULES schedules failed"
INSERT INTO actions.schedule (workspace_id, template_id, rrule, starts_at, catch_up, owner_id, next_local, next_at)
SELECT $WS, $TPL, 'FREQ=DAILY', t0 + m, 'latest', $OWNER, d + m, (d + m) AT TIME ZONE 'UTC'
  FROM generate_series(1, $SCHEDULES) i,
       LATERAL (SELECT timestamp '2026-01-01' AS t0,
                       ((extract(hour FROM now() AT TIME ZONE 'UTC')::int + 12) % 24) * interval '1 hour'
                       + (i % 60) * interval '1 minute' AS m,
                       date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day' AS d) x;
SQL
due_block() {  # round -> the block of schedules due yesterday
    q -c "UPDATE actions.schedule SET next_local = next_local - interval '2 days', next_at = next_at - interval '2 days'
           WHERE schedule_id IN (SELECT schedule_id FROM actions.schedule ORDER BY schedule_id
                                  OFFSET ($1 - 1) * $OCCURRENCES LIMIT $OCCURRENCES)" >/dev/null
}
SWEEP=""; LOOP=""
for r in $(seq 1 "$ROUNDS"); do
    due_block "$r"
    settle
    before=$(q -c "SELECT count(*) FROM actions.schedule_occurrence WHERE action_id IS NOT NULL")
    # Each side right after a checkpoint (both pay the first writes of each page), in turns.
    for side in $( [ $((r % 2)) = 1 ] && echo "sweep loop" || echo "loop sweep"); do
        q -c "CHECKPOINT" >/dev/null
        if [ $side = sweep ]; then
            # One call for every due schedule: a batch as large as the set.
            SWEEP+="$(timed postgres -c "SET pg_actions.sweep_batch_size = 100000" -c "SELECT actions.create_scheduled_actions()") "
        else
            LOOP+="$(timed bench_owner -c "SELECT count(actions.create_action_from_template($TPL)) FROM generate_series(1, $OCCURRENCES)") "
        fi
    done
    made=$(( $(q -c "SELECT count(*) FROM actions.schedule_occurrence WHERE action_id IS NOT NULL") - before ))
    [ "$made" = "$OCCURRENCES" ] || { echo "  round $r: the sweep created $made actions, not $OCCURRENCES"; misses=$((misses + 1)); }
done
s=$(best $SWEEP); l=$(best $LOOP); rat=$(ratio "$l" "$s")
v=$(awk -v x="$rat" 'BEGIN { print (x != "" && x >= 0.8) ? "PASS" : "MISS" }'); [ "$v" = PASS ] || misses=$((misses + 1))
rate() { awk -v n="$OCCURRENCES" -v ms="$1" 'BEGIN { if (ms == "" || ms == 0) print "?"; else printf "%.0f", n / ms * 1000 }'; }
echo "  (b) sweep creating $OCCURRENCES due occurrences among $SCHEDULES schedules: $s ms ($(rate "$s")/s; runs: ${SWEEP% }),"
echo "      create_action_from_template x $OCCURRENCES in one statement: $l ms ($(rate "$l")/s; runs: ${LOOP% })"
echo "      sweep rate / loop rate = ${rat:-?} $v (goal >= 0.80)"
# (c) Nothing due. The schedules' occurrences are spread over the minutes of the day, so some fall
# due while the bench runs: one untimed sweep creates them, and those due within the next hour
# move a day on, so nothing falls due during the measurement.
q -c "SELECT actions.create_scheduled_actions()" >/dev/null
q -c "UPDATE actions.schedule SET next_local = next_local + interval '1 day', next_at = next_at + interval '1 day'
       WHERE next_at <= now() + interval '1 hour'" >/dev/null
[ "$(q -c "SELECT count(*) FROM actions.schedule WHERE next_at <= now()")" = 0 ] || echo "  (c): some schedule is still due"
EMPTY=""; SERVER=""
for _ in $(seq 1 10); do
    EMPTY+="$(timed postgres -c "SELECT actions.create_scheduled_actions()") "
    SERVER+="$(q -c "EXPLAIN (ANALYZE, TIMING OFF) SELECT actions.create_scheduled_actions()" | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p') "
done
e=$(best $EMPTY); se=$(best $SERVER)
v=$(awk -v x="$se" 'BEGIN { print (x != "" && x < 5) ? "PASS" : "MISS" }'); [ "$v" = PASS ] || misses=$((misses + 1))
echo "  (c) sweep with nothing due among $SCHEDULES schedules: $se ms in the server (EXPLAIN ANALYZE execution time) $v (goal < 5 ms;"
echo "      runs: ${SERVER% }); $e ms in psql with the round trip (runs: ${EMPTY% })"
