# The activity log across a restart, a crash and a dump/restore: the chain verifies clean, an
# uncommitted change leaves no trace, act_as() does not outlive its session, and pg_dump keeps
# the rows of every actions table (pg_extension_config_dump) so that a restore reproduces the
# data and the log exactly.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('restart_dump');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;

my @tables = qw(workspace person role member trusted_service record action evidence notification
  activity activity_head);

sub as
{
    my ($who, $sql, $db) = @_;
    return $node->safe_psql($db // 'app', $sql, extra_params => [ '-U', $who ]);
}

# Every row of every actions table, as text, per table.
sub contents
{
    my ($db) = @_;
    my %rows;
    for my $t (@tables)
    {
        $rows{$t} = $node->safe_psql($db,
            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM actions.$t t");
    }
    return \%rows;
}

sub broken_links
{
    my ($db) = @_;
    return $node->safe_psql($db,
        "SELECT count(*) FROM actions.workspace w, actions.verify_log(w.workspace_id)");
}

$node->safe_psql('postgres', q{
    CREATE DATABASE app;
    CREATE ROLE alice LOGIN;
    CREATE ROLE bob LOGIN;
    CREATE ROLE web LOGIN;
});
$node->safe_psql('app', 'CREATE EXTENSION pg_actions');
my $alice = $node->safe_psql('app', "SELECT actions.create_person('alice\@example.com', 'Alice', 'alice')");
my $bob = $node->safe_psql('app', "SELECT actions.create_person('bob\@example.com', 'Bob', 'bob')");
my $ws = $node->safe_psql('app', "SELECT actions.create_workspace('Acme', 'Europe/Berlin', owner_id => $alice)");
$node->safe_psql('app', qq{
    SELECT actions.add_member($ws, $bob, 'user');
    SELECT actions.trust_service('web', 'the web application');
});

# A history with every kind of entry: created, assigned, started, completed with evidence,
# cancelled, reassigned, edits, overdue, deleted (its log outlives it), a read notification.
my $rec = as('alice', "SELECT actions.create_record($ws, 'Board decision 7', 'decision')");
my $a1 = as('alice', "SELECT actions.create_action($ws, 'Sign the contract', assignee_id => $bob, due_on => '2031-06-30', record_id => $rec)");
my $a2 = as('alice', "SELECT actions.create_action($ws, 'Book the venue', assignee_id => $bob)");
my $a3 = as('alice', "SELECT actions.create_action($ws, 'Draft the agenda', description => 'two pages')");
my $a4 = as('alice', "SELECT actions.create_action($ws, 'Renew the lease', assignee_id => $alice, due_at => '2031-01-01 00:00+00')");
my $a5 = as('alice', "SELECT actions.create_action($ws, 'Order badges', assignee_id => $bob, priority => 'high')");
as('bob', "SELECT actions.start($a1); SELECT actions.complete($a1, evidence => convert_to('signed', 'UTF8'), evidence_name => 'contract.pdf')");
as('alice', "SELECT actions.cancel($a2, 'venue closed')");
as('alice', "SELECT actions.update_action($a3, title => 'Draft the agenda v2'); SELECT actions.delete_action($a3)");
as('alice', "SELECT actions.reassign($a5, $alice); SELECT actions.reassign($a5, $bob)");
$node->safe_psql('app', "UPDATE actions.action SET due_at = '2020-01-01 00:00+00' WHERE action_id = $a4");
$node->safe_psql('app', "UPDATE actions.notification SET read_at = '2024-05-01 10:00+00' WHERE action_id = $a1");
is($node->safe_psql('app', "SELECT status FROM actions.action WHERE action_id = $a4"), 'overdue',
    'a due date moved into the past makes the action overdue');
is(broken_links('app'), '0', 'the log verifies clean before any restart');
my $before = contents('app');
cmp_ok(scalar(split /\n/, $before->{activity}), '>=', 15, 'the history has its entries');

# act_as() is for the current transaction of the current session only.
my $web = $node->background_psql('app', extra_params => [ '-U', 'web' ]);
is($web->query_safe("BEGIN; SELECT actions.current_actor() FROM actions.act_as($bob)"), $bob,
    'the trusted service acts as bob inside its transaction');
is($web->query_safe('COMMIT; SELECT actions.current_actor() IS NULL'), 't',
    'and as nobody in the next transaction');
$web->query_safe("BEGIN; SELECT FROM actions.act_as($bob)");

# --- a clean restart, with the service's transaction open --------------------------------------
$node->restart;
eval { $web->quit };
is_deeply(contents('app'), $before, 'a restart keeps every row of every actions table');
is(broken_links('app'), '0', 'the log verifies clean after a restart');

sub acting_after_restart
{
    my ($ret, $out, $err) = $node->psql('app',
        "SELECT actions.current_actor() IS NULL; SELECT actions.start($a5)",
        extra_params => [ '-U', 'web', '-v', 'VERBOSITY=verbose' ]);
    return ($out, $err);
}
my ($out, $err) = acting_after_restart();
is($out, 't', 'after the restart the service acts for nobody');
like($err, qr/ERROR:\s+42501: no person is acting in this session/, 'and the API refuses it (42501)');

# --- a crash (immediate stop) with uncommitted changes in flight --------------------------------
as('bob', "SELECT actions.start($a5)");    # committed: must survive
my $committed = contents('app');
my $bob_session = $node->background_psql('app', extra_params => [ '-U', 'bob' ]);
$bob_session->query_safe("BEGIN; SELECT FROM actions.complete($a5)");
$web = $node->background_psql('app', extra_params => [ '-U', 'web' ]);
$web->query_safe("BEGIN; SELECT FROM actions.act_as($alice); SELECT FROM actions.update_action($a4, priority => 'low')");
$node->stop('immediate');
$node->start;
eval { $bob_session->quit };
eval { $web->quit };
is_deeply(contents('app'), $committed,
    'after a crash the committed changes are there and the uncommitted ones left no entry');
is(broken_links('app'), '0', 'the log verifies clean after a crash');
($out, $err) = acting_after_restart();
is($out, 't', 'after the crash the service acts for nobody');
like($err, qr/ERROR:\s+42501: no person is acting in this session/, 'and the API refuses it (42501)');
as('bob', "SELECT actions.complete($a5)");
is($node->safe_psql('app', "SELECT string_agg(seq || ' ' || event, ', ' ORDER BY seq) FROM actions.activity WHERE action_id = $a5 AND seq > 4"),
    '5 started, 6 completed', 'the chain continues after the crash with no gap');
is(broken_links('app'), '0', 'and still verifies clean');

# --- pg_dump, then restore into a new database --------------------------------------------------
my $source = contents('app');
my $dump = $node->basedir . '/app.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('app'), '-f', $dump ], 'pg_dump of the database');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
my $listener = $node->background_psql('restored');
$listener->query_safe('LISTEN pg_actions');
# As docs/operations.md tells a DBA to restore a plain dump: psql -f with no special option (the
# extension's triggers recognise the restore's COPY and leave the rows as dumped;
# test/tap/007_dump_restore.pl covers pg_restore and what fails).
my @restore = ('-v', 'ON_ERROR_STOP=1');
my ($ret, $rout, $rerr) = $node->psql('restored', undef, on_error_stop => 0, extra_params => [ @restore, '-f', $dump ]);
is($ret, 0, 'psql ran the dump');
is(join("\n", grep { /ERROR/ } split /\n/, $rerr), '', 'the restore raised no error');
my $restored = contents('restored');
for my $t (@tables)
{
    is($restored->{$t}, $source->{$t}, "restore reproduces actions.$t exactly");
}
is(broken_links('restored'), '0', 'the restored log verifies clean');
my $heard = $listener->query_safe('SELECT 1');
unlike($heard, qr/Asynchronous notification/, 'the restore sent no notifications');
$listener->quit;

# The restored database keeps working: identity sequences continue past the restored ids.
my ($pret, $pout, $perr) = $node->psql('restored', "SELECT actions.create_person('carol\@example.com', 'Carol')");
is($perr, '', 'a new person can be added after the restore');
($pret, $pout, $perr) = $node->psql('restored',
    "SELECT actions.create_action($ws, 'After the restore')", extra_params => [ '-U', 'alice' ]);
is($perr, '', 'a new action can be created after the restore');
($pret, $pout, $perr) = $node->psql('restored', "SELECT actions.create_workspace('Second')");
is($perr, '', 'a new workspace can be created after the restore');
($pret, $pout, $perr) = $node->psql('restored', "SELECT actions.reassign($a4, $bob)", extra_params => [ '-U', 'alice' ]);
is($perr, '', 'an existing action can be changed after the restore');
is($node->safe_psql('restored', "SELECT max(seq) FROM actions.activity WHERE action_id = $a4"),
    $node->safe_psql('app', "SELECT max(seq) + 1 FROM actions.activity WHERE action_id = $a4"),
    'its chain continues from the restored head');
is(broken_links('restored'), '0', 'the restored log still verifies clean after new changes');

# --- a workspace with a custom role survives dump/restore ---------------------------------------
$node->safe_psql('postgres', 'CREATE DATABASE custom');
$node->safe_psql('custom', qq{
    CREATE EXTENSION pg_actions;
    SELECT actions.create_person('alice\@example.com', 'Alice', 'alice');
    SELECT actions.create_person('bob\@example.com', 'Bob', 'bob');
    SELECT actions.create_workspace('Custom', owner_id => 1);
    INSERT INTO actions.role (workspace_id, name, permissions)
        VALUES (1, 'auditor', '{view_actions}');
    SELECT actions.add_member(1, 2, 'auditor');
});
as('alice', "SELECT actions.create_action(1, 'Audit the books')", 'custom');
my $custom = contents('custom');
my $dump2 = $node->basedir . '/custom.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('custom'), '-f', $dump2 ], 'pg_dump of a database with a custom role');
$node->safe_psql('postgres', 'CREATE DATABASE custom_restored');
($ret, $rout, $rerr) = $node->psql('custom_restored', undef, on_error_stop => 0, extra_params => [ @restore, '-f', $dump2 ]);
is($ret, 0, 'psql ran the dump of the custom-role workspace');
is(join("\n", grep { /ERROR/ } split /\n/, $rerr), '', 'the restore raised no error');
my $custom_restored = contents('custom_restored');
for my $t (qw(role member action activity))
{
    is($custom_restored->{$t}, $custom->{$t}, "restore reproduces actions.$t of the custom-role workspace");
}

$node->stop;
done_testing();
