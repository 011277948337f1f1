# Rebuilding service levels works in batches whose memory is reset after each: the backend's peak
# memory while actions.rebuild_service_levels() folds a workspace's log does not grow with the
# log. Two workspaces, one with 10 times the completed actions (and log entries) of the other;
# each is rebuilt in a new session with work_mem at its minimum (so the sort and the returned rows'
# tuplestore spill to disk in both), and the peak service_level_from_log() reports at DEBUG1 (the
# backend's whole memory, MemoryContextMemAllocated(TopMemoryContext), at the end of each batch)
# must be the same within 25%. Without the per-batch reset it grows about threefold.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('bounded_rebuild');
$node->init(extra => [ '-U', 'postgres' ]);
$node->append_conf('postgresql.conf', "log_statement = none\n");
$node->start;

my $small = 500;
$node->safe_psql('postgres', q{
    CREATE EXTENSION pg_actions;
    CREATE ROLE owner LOGIN;
    SELECT actions.create_person('owner@example.com', 'Owner', 'owner');
    SELECT actions.create_workspace('Small', owner_id => 1);
    SELECT actions.create_workspace('Large', owner_id => 1);
});
for ([ 1, $small ], [ 2, 10 * $small ])
{
    my ($ws, $n) = @$_;
    $node->safe_psql('postgres', qq{
        SELECT count(actions.complete(actions.create_action($ws, 'action ' || i, assignee_id => 1,
                                                            due_at => now() + interval '1 day')))
          FROM generate_series(1, $n) i},
        extra_params => [ '-U', 'owner' ]);
}
my ($entries_small, $entries_large) = split /\n/, $node->safe_psql('postgres',
    'SELECT count(*) FROM actions.activity GROUP BY workspace_id ORDER BY workspace_id');
cmp_ok($entries_large, '>=', 10 * $entries_small, "the large workspace's log ($entries_large entries) is 10 times the small one's ($entries_small)");

# One rebuild in a new session: the rows it wrote and the peak it reported.
sub rebuild
{
    my ($ws) = @_;
    my ($ret, $out, $err) = $node->psql('postgres', qq{
        SET work_mem = '64kB';
        SET pg_actions.sweep_batch_size = 500;
        SET client_min_messages = debug1;
        SELECT actions.rebuild_service_levels($ws);});
    is($ret, 0, "workspace $ws rebuilt") or diag $err;
    my ($batches, $peak) = $err =~ /service_level_from_log\($ws\): (\d+) batches of up to 500 log entries, peak backend memory (\d+) bytes/;
    ok(defined $peak, "the rebuild of workspace $ws reported its peak") or diag $err;
    return ($out, $batches // 0, $peak // 0);
}

my ($rows_small, $batches_small, $peak_small) = rebuild(1);
my ($rows_large, $batches_large, $peak_large) = rebuild(2);
is($rows_small, $small, "workspace 1: $small rows rebuilt");
is($rows_large, 10 * $small, 'workspace 2: ' . 10 * $small . ' rows rebuilt');
cmp_ok($batches_large, '>=', 10 * ($batches_small - 1), "the large log took $batches_large batches, the small one $batches_small");
note "peak backend memory: $peak_small bytes for $entries_small entries, $peak_large bytes for $entries_large";
cmp_ok($peak_large, '<=', 1.25 * $peak_small, 'the peak does not grow with the log (within 25%)');

# The rebuilt rows are the ones the log trigger maintained.
is($node->safe_psql('postgres', q{
    SELECT count(*) FROM (SELECT * FROM actions.service_level_from_log(2)
                          EXCEPT SELECT * FROM actions.service_level WHERE workspace_id = 2) d}),
   '0', 'the rebuilt rows equal the recomputed ones');

$node->stop;
done_testing();
