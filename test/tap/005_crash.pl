# Crashes under load, with fsync and synchronous_commit on: every change the server acknowledged
# survives, the log verifies clean and amcheck finds nothing wrong.
#
# Eight psql clients call the API in a loop, each change in its own transaction: alice and bob
# create actions, a trusted service creates actions as alice (act_as, then COMMIT), bob starts
# and completes his actions with evidence, carol completes hers, carol adds notes to her actions,
# the service adds notes as bob, alice renames actions. One round is: the clients start, every
# one of them has changes acknowledged, the server is killed, it restarts and recovers, and what
# was acknowledged is checked. `make test` runs one round; PG_ACTIONS_CRASH_ROUNDS runs more (the
# soak, `make soak`, runs 100), each round on pools of its own.
# Each client prints what it changed only once the server has answered the statement (or, for the
# service, once COMMIT has returned), so what psql printed is exactly what was acknowledged. After
# a few seconds every server process is killed with SIGKILL (the postmaster first, then its
# children, so nothing goes on writing), the server is started again and recovers, and then:
#   - every acknowledged action is there, with its 'created' entry;
#   - every acknowledged completion, note and rename is there (a rename in flight at the crash
#     may or may not have committed: its action holds the acknowledged title or that one);
#   - verify_log() finds every chain intact, and every chain is gapless up to its head;
#   - amcheck: bt_index_check (heapallindexed) and bt_index_parent_check on every btree index of
#     schema actions raise nothing, verify_heapam on every table of schema actions returns no row;
#   - the API works after recovery and the chains continue.
use strict;
use warnings;
use Time::HiRes qw(time usleep);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $started = time;
my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init(extra => [ '-U', 'postgres' ]);
# No autovacuum: the set of server processes stays fixed while they are being killed.
$node->append_conf('postgresql.conf', q{
fsync = on
synchronous_commit = on
full_page_writes = on
autovacuum = off
log_statement = none
});
$node->start;
is($node->safe_psql('postgres', 'SHOW fsync') . ' ' . $node->safe_psql('postgres', 'SHOW synchronous_commit'),
    'on on', 'fsync and synchronous_commit are on');

$node->safe_psql('postgres', q{
    CREATE EXTENSION pg_actions;
    CREATE ROLE alice LOGIN;
    CREATE ROLE bob LOGIN;
    CREATE ROLE carol LOGIN;
    CREATE ROLE svc LOGIN;
});
my %id;
for my $p (qw(alice bob carol))
{
    $id{$p} = $node->safe_psql('postgres', "SELECT actions.create_person('$p\@example.com', initcap('$p'), '$p')");
}
my $ws = $node->safe_psql('postgres', "SELECT actions.create_workspace('Crash', owner_id => $id{alice})");
$node->safe_psql('postgres', qq{
    SELECT actions.add_member($ws, $id{bob}, 'user');
    SELECT actions.add_member($ws, $id{carol}, 'user');
    SELECT actions.trust_service('svc', 'the crash test''s service');
});

sub as
{
    my ($who, $sql) = @_;
    return $node->safe_psql('postgres', $sql, extra_params => [ '-U', $who ]);
}

my $rounds = $ENV{PG_ACTIONS_CRASH_ROUNDS} || 1;
# One round's pools are smaller in a soak of many rounds.
my $pool_size = $rounds > 1 ? 400 : 5000;
my $min_changes = $rounds > 1 ? 10 : 50;
my $base = $node->basedir;
my (%acked_total, %lost_total);

# Stop the postmaster so that it forks nothing more, read its children, then SIGKILL it and them.
# A zombie holds no shared memory, but a zombie postmaster still answers kill(pid, 0), so the next
# postmaster would take it for a running one: wait until it is reaped too (its parent is init,
# which reaps it soon), and past that drop the stale lock file.
sub state_of
{
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/stat" or return 'gone';
    my $stat = <$fh> // '';
    return $stat =~ /^\d+ \(.*\) (\S) / ? $1 : 'gone';
}
sub crash
{
    my ($r) = @_;
    my $postmaster = $node->{_pid};
    kill 'STOP', $postmaster;
    my @children = grep {
        open my $fh, '<', "/proc/$_/stat" or 0;
        my $stat = $fh ? <$fh> : '';
        $stat =~ /^\d+ \(.*\) \S (\d+) / && $1 == $postmaster;
    } map { m{^/proc/(\d+)$} ? $1 : () } glob '/proc/[0-9]*';
    $node->kill9;
    kill 'KILL', @children;
    note sprintf 'round %d: killed the postmaster %d and its %d children at %.1f s', $r, $postmaster,
      scalar @children, time - $started;
    my $gone_by = time + 30;
    usleep(50_000)
      while (state_of($postmaster) ne 'gone' || grep { state_of($_) !~ /^(gone|Z)$/ } @children) && time < $gone_by;
    my @survivors = grep { state_of($_) !~ /^(gone|Z)$/ } ($postmaster, @children);
    is("@survivors", '', "round $r: every server process is gone after SIGKILL");
    if (state_of($postmaster) eq 'Z')
    {
        note "postmaster $postmaster is still an unreaped zombie: removing its stale postmaster.pid";
        unlink $node->data_dir . '/postmaster.pid';
    }
}

sub missing
{
    my ($ids, $test_sql) = @_;
    my $ids_sql = 'ARRAY[' . join(',', @$ids, 0) . ']::bigint[]';
    return [ grep { $_ ne '' } split /\n/, $node->safe_psql('postgres', qq{
        SELECT x FROM unnest($ids_sql) x WHERE x <> 0 AND NOT ($test_sql) ORDER BY 1}) ];
}
sub lost
{
    my ($r, $what, $ids, $test_sql) = @_;
    my $lost = missing($ids, $test_sql);
    $acked_total{$what} += @$ids;
    $lost_total{$what} += @$lost;
    is(scalar @$lost, 0, sprintf('round %d: every one of the %d acknowledged %s is there', $r, scalar @$ids, $what))
      or diag sprintf '%d lost, e.g. %s', scalar @$lost, join ', ', @$lost[ 0 .. ($#$lost < 9 ? $#$lost : 9) ];
}

for my $r (1 .. $rounds)
{
    # The pools the clients work on: bob's and carol's actions to complete, carol's and bob's own
    # actions to note, and alice's actions to rename.
    my @to_complete = split /\n/, as('alice', qq{
        SELECT actions.create_action($ws, 'r$r complete me ' || i, assignee_id => $id{bob}) FROM generate_series(1, $pool_size) i});
    my @carol_complete = split /\n/, as('alice', qq{
        SELECT actions.create_action($ws, 'r$r carol completes ' || i, assignee_id => $id{carol}) FROM generate_series(1, $pool_size) i});
    my @to_note = split /\n/, as('carol', qq{
        SELECT actions.create_action($ws, 'r$r note me ' || i, assignee_id => $id{carol}) FROM generate_series(1, 20) i});
    my @bob_note = split /\n/, as('bob', qq{
        SELECT actions.create_action($ws, 'r$r bob notes ' || i, assignee_id => $id{bob}) FROM generate_series(1, 20) i});
    my @to_rename = split /\n/, as('alice', qq{
        SELECT actions.create_action($ws, 'r$r rename me ' || i, assignee_id => $id{bob}) FROM generate_series(1, 20) i});
    is(scalar @to_complete + @carol_complete + @to_note + @bob_note + @to_rename, 2 * $pool_size + 60,
        "round $r: the pools are there");

    # --- the clients -----------------------------------------------------------------------------
    my %client_sql;
    $client_sql{alice_create} = join '', map {
        "SELECT 'created ' || actions.create_action($ws, 'r$r crash a $_', assignee_id => "
          . ($_ % 2 ? $id{bob} : $id{carol})
          . ", due_at => now() + interval '$_ minutes', priority => 'high', description => repeat('x', $_ % 300));\n"
    } 1 .. 20000;
    $client_sql{bob_create} = join '', map {
        "SELECT 'created ' || actions.create_action($ws, 'r$r crash b $_', assignee_id => $id{carol});\n"
    } 1 .. 20000;
    $client_sql{svc_create} = join '', map {
        "BEGIN;\nSELECT actions.act_as($id{alice});\n"
          . "SELECT actions.create_action($ws, 'r$r crash s $_', assignee_id => $id{bob}) AS id \\gset\n"
          . "COMMIT;\n\\echo created :id\n"
    } 1 .. 20000;
    $client_sql{bob_complete} = join '', map {
        "SELECT FROM actions.start($_);\n"
          . "SELECT 'completed ' || $_ FROM actions.complete($_, evidence => convert_to(repeat('proof $_ ', 50), 'UTF8'), "
          . "evidence_name => 'proof-$_.txt', evidence_type => 'text/plain');\n"
    } @to_complete;
    $client_sql{carol_complete} = join '', map {
        "SELECT FROM actions.start($_);\n"
          . "SELECT 'completed ' || $_ FROM actions.complete($_, evidence => convert_to('done $_', 'UTF8'), "
          . "evidence_name => 'done-$_.txt', evidence_type => 'text/plain');\n"
    } @carol_complete;
    $client_sql{carol_note} = join '', map {
        my $a = $to_note[ $_ % @to_note ];
        "SELECT 'note $a ' || actions.add_note($a, 'note $_ ' || repeat('y', $_ % 500));\n"
    } 1 .. 20000;
    $client_sql{svc_note} = join '', map {
        my $a = $bob_note[ $_ % @bob_note ];
        "BEGIN;\nSELECT actions.act_as($id{bob});\n"
          . "SELECT actions.add_note($a, 'service note $_') AS id \\gset\n"
          . "COMMIT;\n\\echo note $a :id\n"
    } 1 .. 20000;
    # The renames in order, so that the one in flight at the crash can be told from the others.
    my @renames = map { [ $to_rename[ $_ % @to_rename ], "title $_" ] } 1 .. 20000;
    $client_sql{alice_rename} = join '', map {
        "SELECT 'renamed $_->[0] ' || '$_->[1]' FROM actions.update_action($_->[0], title => '$_->[1]');\n"
    } @renames;
    my %client_user = (alice_create => 'alice', bob_create => 'bob', svc_create => 'svc', bob_complete => 'bob',
        carol_complete => 'carol', carol_note => 'carol', svc_note => 'svc', alice_rename => 'alice');

    my %clients;
    for my $name (sort keys %client_sql)
    {
        my $file = "$base/r$r-$name.sql";
        PostgreSQL::Test::Utils::append_to_file($file, $client_sql{$name});
        my $c = { out => '', err => '' };
        $c->{h} = IPC::Run::start(
            [ 'psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $node->host, '-p', $node->port,
              '-U', $client_user{$name}, '-d', 'postgres', '-f', $file ],
            '<', \undef, '>', \$c->{out}, '2>', \$c->{err}, IPC::Run::timeout(120));
        $clients{$name} = $c;
    }

    # Wait until every client has committed work (read from the server: psql's output to a pipe is
    # buffered until it exits), then let them run a little longer.
    my $progress_sql = qq{
        SELECT (SELECT count(*) FROM actions.action WHERE title LIKE 'r$r crash a %') || ' '
            || (SELECT count(*) FROM actions.action WHERE title LIKE 'r$r crash b %') || ' '
            || (SELECT count(*) FROM actions.action WHERE title LIKE 'r$r crash s %') || ' '
            || (SELECT count(*) FROM actions.action WHERE title LIKE 'r$r complete me %' AND status = 'complete') || ' '
            || (SELECT count(*) FROM actions.action WHERE title LIKE 'r$r carol completes %' AND status = 'complete') || ' '
            || (SELECT count(*) FROM actions.note n JOIN actions.action a USING (workspace_id, action_id)
                 WHERE a.title LIKE 'r$r note me %') || ' '
            || (SELECT count(*) FROM actions.note n JOIN actions.action a USING (workspace_id, action_id)
                 WHERE a.title LIKE 'r$r bob notes %') || ' '
            || (SELECT count(*) FROM actions.activity l JOIN actions.action a USING (workspace_id, action_id)
                 WHERE l.event = 'title_changed' AND a.action_id IN (@{[ join ',', @to_rename ]}))};
    my $progress = '';
    my $waited = time;
    while (time - $waited < 60)
    {
        $progress = $node->safe_psql('postgres', $progress_sql);
        last unless grep { $_ < $min_changes } split / /, $progress;
        $_->{h}->pump_nb for values %clients;
        usleep(200_000);
    }
    ok(!grep({ $_ < $min_changes } split / /, $progress),
        "round $r: every client committed at least $min_changes changes before the crash (counts: $progress)");
    usleep($rounds > 1 ? 300_000 + int(rand(700_000)) : 2_000_000);
    $_->{h}->pump_nb for values %clients;

    crash($r);

    # The clients lose their connection and exit, printing what was acknowledged.
    for my $name (sort keys %clients)
    {
        my $c = $clients{$name};
        eval { $c->{h}->finish; 1 } or do { $c->{h}->kill_kill; $c->{err} .= "\n(killed: $@)"; };
        $c->{code} = $c->{h}->result // -1;
        note "$name: exit $c->{code}, " . scalar(split /\n/, $c->{out}) . " lines; " . ($c->{err} =~ s/\n/ /gr)
          if $rounds == 1;
    }
    is(join(' ', map { $clients{$_}{code} } sort keys %clients), '2 2 2 2 2 2 2 2',
        "round $r: every client lost its connection (psql exit code 2) and none failed on its own");
    my @client_errors = map { "$_: $clients{$_}{err}" }
      grep { $clients{$_}{err} =~ /ERROR/ } sort keys %clients;
    is(scalar @client_errors, 0, "round $r: no client got an error before the crash") or diag join "\n", @client_errors;

    $node->start;

    # --- what must have survived -------------------------------------------------------------------
    my $acked = sub {
        my ($name, $re) = @_;
        return map { /$re/ ? [ $1, $2 ] : () } split /\n/, $clients{$name}{out};
    };
    my @created = map { $_->[0] } map { $acked->($_, qr/^created (\d+)$/) } qw(alice_create bob_create svc_create);
    my @completed = map { $_->[0] } map { $acked->($_, qr/^completed (\d+)$/) } qw(bob_complete carol_complete);
    my @notes = map { $acked->($_, qr/^note (\d+) (\d+)$/) } qw(carol_note svc_note);
    my @renamed = $acked->('alice_rename', qr/^renamed (\d+) (title \d+)$/);
    note sprintf 'round %d: acknowledged %d creations, %d completions, %d notes, %d renames', $r, scalar @created,
      scalar @completed, scalar @notes, scalar @renamed;
    cmp_ok(scalar @created, '>=', 3 * $min_changes, "round $r: creations were acknowledged");

    lost($r, 'creations', \@created, qq{
        EXISTS (SELECT FROM actions.action a WHERE a.workspace_id = $ws AND a.action_id = x)
        AND EXISTS (SELECT FROM actions.activity l WHERE l.workspace_id = $ws AND l.action_id = x AND l.seq = 1
                                                     AND l.event = 'created')});
    lost($r, 'completions', \@completed, qq{
        EXISTS (SELECT FROM actions.action a WHERE a.workspace_id = $ws AND a.action_id = x AND a.status = 'complete'
                                                AND a.evidence_id IS NOT NULL)
        AND EXISTS (SELECT FROM actions.activity l WHERE l.workspace_id = $ws AND l.action_id = x AND l.event = 'completed')});
    lost($r, 'notes', [ map { $_->[1] } @notes ],
        qq{EXISTS (SELECT FROM actions.note n WHERE n.workspace_id = $ws AND n.note_id = x)});
    my %note_entries = map { split /\|/ } split /\n/, $node->safe_psql('postgres', qq{
        SELECT action_id, count(*) FROM actions.activity WHERE workspace_id = $ws AND event = 'note_added'
           AND action_id IN (@{[ join ',', @to_note, @bob_note ]}) GROUP BY 1});
    my %acked_notes;
    $acked_notes{ $_->[0] }++ for @notes;
    my @short = grep { ($note_entries{$_} // 0) < $acked_notes{$_} } sort { $a <=> $b } keys %acked_notes;
    is(scalar @short, 0, "round $r: every acknowledged note has its note_added entry")
      or diag join ', ', map { "action $_: $acked_notes{$_} notes acknowledged, " . ($note_entries{$_} // 0) . ' note_added entries' } @short;

    # The renames ran one after the other: each action holds the title of its last acknowledged
    # rename, or, for the action of the rename after it (in flight at the crash), that title.
    my %expect;
    $expect{ $_->[0] } = [ $_->[1] ] for @renamed;
    if (my $next = $renames[ scalar @renamed ])
    {
        push @{ $expect{ $next->[0] } }, $next->[1];
    }
    my %title = map { split /\|/ } split /\n/, $node->safe_psql('postgres', qq{
        SELECT action_id, title FROM actions.action WHERE action_id IN (@{[ join ',', @to_rename ]})});
    my @wrong = map { "action $_ is titled '$title{$_}', acknowledged: " . join(' or ', @{ $expect{$_} }) }
      grep { my $t = $title{$_} // ''; !grep { $_ eq $t } @{ $expect{$_} } } sort { $a <=> $b } keys %expect;
    $acked_total{renames} += @renamed;
    $lost_total{renames} += @wrong;
    cmp_ok(scalar @renamed, '>', 0, "round $r: renames were acknowledged");
    is(scalar @wrong, 0, "round $r: every renamed action holds its last acknowledged title (or the one in flight)")
      or diag join "\n", @wrong;
}
note sprintf 'crash rounds: %d; acknowledged: %s; lost: %s', $rounds,
  join(', ', map { "$_ $acked_total{$_}" } sort keys %acked_total),
  join(', ', map { "$_ $lost_total{$_}" } sort keys %lost_total);
my $to_rename_first = $node->safe_psql('postgres',
    "SELECT min(action_id) FROM actions.action WHERE workspace_id = $ws AND title LIKE 'title %'");
my $to_note_first = $node->safe_psql('postgres',
    "SELECT min(action_id) FROM actions.action WHERE workspace_id = $ws AND title LIKE 'r1 note me %'");

# --- the log and the storage -------------------------------------------------------------------------

my $broken = $node->safe_psql('postgres', "SELECT string_agg(action_id || ' seq ' || seq || ': ' || problem, '; ') FROM actions.verify_log($ws)");
is($broken, '', 'verify_log() finds every chain intact after the crash');
my $gaps = $node->safe_psql('postgres', qq{
    SELECT count(*) || coalesce(': first ' || min(l.action_id), '')
      FROM (SELECT action_id, count(*) AS n, max(seq) AS hi FROM actions.activity WHERE workspace_id = $ws GROUP BY 1) l
      LEFT JOIN actions.activity_head h ON h.workspace_id = $ws AND h.action_id = l.action_id
     WHERE l.n <> l.hi OR h.seq IS DISTINCT FROM l.hi});
is($gaps, '0', 'every chain is gapless up to its head after the crash');

$node->safe_psql('postgres', 'CREATE EXTENSION amcheck');
my @indexes = split /\n/, $node->safe_psql('postgres', q{
    SELECT c.oid || ' ' || c.relname FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
     WHERE c.relnamespace = 'actions'::regnamespace AND am.amname = 'btree'
     ORDER BY c.relname});
cmp_ok(scalar @indexes, '>=', 10, sprintf('schema actions has its btree indexes (%d)', scalar @indexes));
my @index_problems;
for my $ix (@indexes)
{
    my ($oid, $name) = split / /, $ix;
    for my $check ("bt_index_check($oid, true)", "bt_index_parent_check($oid, true, true)")
    {
        my ($ret, $out, $err) = $node->psql('postgres', "SELECT $check");
        push @index_problems, "$name: $check: $err" if $ret != 0 || $err ne '';
    }
}
is(scalar @index_problems, 0, 'bt_index_check and bt_index_parent_check (heapallindexed) find every btree index of schema actions sound')
  or diag join "\n", @index_problems;
my $heap = $node->safe_psql('postgres', q{
    SELECT coalesce(string_agg(c.relname || ' block ' || v.blkno || ' offset ' || coalesce(v.offnum::text, '-')
                               || ': ' || v.msg, E'\n'), '')
      FROM pg_class c CROSS JOIN LATERAL verify_heapam(c.oid, check_toast => true) v
     WHERE c.relnamespace = 'actions'::regnamespace AND c.relkind IN ('r', 'm')});
is($heap, '', 'verify_heapam finds nothing wrong in any table of schema actions');

# --- the API after recovery ------------------------------------------------------------------------

my ($ret, $out, $err) = $node->psql('postgres',
    "SELECT actions.create_action($ws, 'after the crash', assignee_id => $id{bob})", extra_params => [ '-U', 'alice' ]);
is($err, '', 'alice creates an action after recovery');
($ret, $out, $err) = $node->psql('postgres',
    "SELECT actions.add_note($to_note_first, 'after the crash')", extra_params => [ '-U', 'carol' ]);
is($err, '', 'carol adds a note to an action whose chain was being written at the crash');
($ret, $out, $err) = $node->psql('postgres',
    "SELECT actions.update_action($to_rename_first, title => 'after the crash')", extra_params => [ '-U', 'alice' ]);
is($err, '', 'alice renames an action that was being renamed at the crash');
is($node->safe_psql('postgres', "SELECT count(*) FROM actions.verify_log($ws)"), '0',
    'the log still verifies clean');

$node->stop;
note sprintf 'test ran %.1f s', time - $started;
done_testing();
