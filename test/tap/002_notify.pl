# An application LISTENing on channel pg_actions hears every assignment to someone other than
# the person acting. Every role may listen to every channel, so the payload is only the
# notification's id: the facts are read from actions.notification, where the recipient sees their
# own row and nobody else does. Assigning oneself, and a rolled-back assignment, deliver nothing.
use strict;
use warnings;
use Time::HiRes qw(usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The tests run as the OS user pg_actions, and initdb refuses a superuser named pg_*.
$ENV{PGUSER} = 'postgres';

my $node = PostgreSQL::Test::Cluster->new('notify');
$node->init(extra => [ '-U', 'postgres' ]);
$node->start;

$node->safe_psql('postgres', q{
    CREATE EXTENSION pg_actions;
    CREATE ROLE alice LOGIN;
    CREATE ROLE bob LOGIN;
    CREATE ROLE carol LOGIN;
});
my %id;
for my $p (qw(alice bob carol))
{
    $id{$p} = $node->safe_psql('postgres',
        "SELECT actions.create_person('$p\@example.com', initcap('$p'), '$p')");
}
my $ws = $node->safe_psql('postgres', qq{
    SELECT actions.create_workspace('Notify', action_url_template => 'https://app.example/w/{workspace_id}/a/{action_id}',
                                    owner_id => $id{alice})});
$node->safe_psql('postgres', "SELECT actions.add_member($ws, $id{bob}, 'user'); SELECT actions.add_member($ws, $id{carol}, 'user')");

sub as
{
    my ($who, $sql) = @_;
    return $node->safe_psql('postgres', $sql, extra_params => [ '-U', $who ]);
}

# The application's listening connection.
my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN pg_actions');

# Reads notifications until one whose payload matches $until arrives (psql prints pending
# notifications after each command); returns every payload read, in order.
sub notifications_until
{
    my ($until) = @_;
    my @payloads;
    for (1 .. 100)
    {
        my $out = $listener->query_safe('SELECT 1');
        push @payloads, $out =~
          /Asynchronous notification "pg_actions" with payload "(.*)" received from server process with PID \d+\./g;
        return @payloads if grep { $_ =~ $until } @payloads;
        usleep(100_000);
    }
    return @payloads;
}

# A marker sent after the interesting transactions: notifications arrive in commit order, so
# whatever came before the marker is everything those transactions delivered.
my $marker = 0;
sub delivered_before_marker
{
    $marker++;
    $node->safe_psql('postgres', "NOTIFY pg_actions, 'marker $marker'");
    my @got = notifications_until(qr/^marker $marker$/);
    is($got[-1], "marker $marker", "marker $marker arrived") or diag explain \@got;
    pop @got;
    return @got;
}

sub stored_notification
{
    my ($nid) = @_;
    my $row = $node->safe_psql('postgres',
        "SELECT workspace_id || '|' || person_id || '|' || kind || '|' || action_id || '|' || link
           FROM actions.notification WHERE notification_id = $nid");
    my %n;
    @n{qw(workspace_id person_id kind action_id link)} = split /\|/, $row;
    return \%n;
}

# What a listener learns: the payload is an id, the facts come from the stored notification.
sub decode_payload
{
    my ($payload) = @_;
    return undef unless defined $payload && $payload =~ /^\d+$/;
    my $n = stored_notification($payload);
    $n->{notification_id} = $payload;
    return $n;
}

# 1. Alice creates an action for Bob: Bob is notified ('assigned').
my $a1 = as('alice', "SELECT actions.create_action($ws, 'Prepare the board pack', assignee_id => $id{bob})");
my @got = delivered_before_marker();
is(scalar @got, 1, 'creating an action for bob delivers one notification');
like($got[0] // '', qr/^\d+$/, 'the payload is a notification id and nothing else');
my $msg = decode_payload($got[0]);
ok($msg, 'the payload names a stored notification') or diag $got[0];
is($msg->{kind}, 'assigned', 'kind is assigned');
is($msg->{workspace_id}, $ws, 'workspace_id is the workspace');
is($msg->{person_id}, $id{bob}, 'person_id is bob');
is($msg->{action_id}, $a1, 'action_id is the action');
is($msg->{link}, "https://app.example/w/$ws/a/$a1", 'link follows the workspace template');
is(as('bob', "SELECT kind || ' ' || action_id FROM actions.notification WHERE notification_id = $got[0]"),
    "assigned $a1", 'bob reads his notification through row-level security');
is(as('carol', "SELECT count(*) FROM actions.notification WHERE notification_id = $got[0]"),
    '0', 'carol cannot read it');
$node->safe_psql('postgres', 'CREATE ROLE stranger LOGIN');
is($node->safe_psql('postgres', "SELECT count(*) FROM actions.notification WHERE notification_id = $got[0]",
        extra_params => [ '-U', 'stranger' ]),
    '0', 'a role with no person reads nothing either');

# 2. Alice reassigns it to Carol: Carol is notified ('reassigned').
as('alice', "SELECT actions.reassign($a1, $id{carol})");
@got = delivered_before_marker();
is(scalar @got, 1, 'reassigning to carol delivers one notification');
$msg = decode_payload($got[0]) // {};
is($msg->{kind}, 'reassigned', 'kind is reassigned');
is($msg->{person_id}, $id{carol}, 'person_id is carol');
is($msg->{action_id}, $a1, 'action_id is the action');

# 3. An unassigned action assigned later with actions.assign(): the assignee is notified.
my $a2 = as('alice', "SELECT actions.create_action($ws, 'Book the room')");
as('alice', "SELECT actions.assign($a2, $id{bob})");
@got = delivered_before_marker();
is(scalar @got, 1, 'assign() to bob delivers one notification');
$msg = decode_payload($got[0]) // {};
is("$msg->{kind} $msg->{person_id} $msg->{action_id}", "assigned $id{bob} $a2", 'assigned, bob, that action');

# 4. Self-assignment, in every form, delivers nothing and stores nothing.
my $a3 = as('alice', "SELECT actions.create_action($ws, 'Water the plants', assignee_id => $id{alice})");
my $a4 = as('bob', "SELECT actions.create_action($ws, 'Read the minutes')");
as('bob', "SELECT actions.assign($a4, $id{bob})");
as('carol', "SELECT actions.reassign($a1, $id{carol})");    # already hers: nothing changes
@got = delivered_before_marker();
is(scalar @got, 0, 'creating for oneself and assigning oneself deliver nothing') or diag explain \@got;
is($node->safe_psql('postgres',
        "SELECT count(*) FROM actions.notification WHERE action_id IN ($a3, $a4)"),
    '0', 'self-assigned actions have no stored notification');

# Taking an action back for oneself notifies only the others who were given it on the way.
my $a5 = as('alice', "SELECT actions.create_action($ws, 'Order toner', assignee_id => $id{bob})");
as('bob', "SELECT actions.reassign($a5, $id{alice})");
as('alice', "SELECT actions.reassign($a5, $id{carol}); SELECT actions.reassign($a5, $id{alice})");
@got = map { decode_payload($_) // { raw => $_ } } delivered_before_marker();
is_deeply([ map { "$_->{kind} $_->{person_id}" } @got ],
    [ "assigned $id{bob}", "reassigned $id{alice}", "reassigned $id{carol}" ],
    'bob is told when alice creates it for him, alice when bob hands it to her, carol when alice passes it on; '
      . 'alice taking it back herself tells no one')
  or diag explain \@got;

# 5. A rolled-back assignment delivers nothing (NOTIFY is transactional).
as('alice', "BEGIN; SELECT actions.reassign($a1, $id{bob}); ROLLBACK;");
@got = delivered_before_marker();
is(scalar @got, 0, 'a rolled-back reassignment delivers nothing') or diag explain \@got;

# 6. An application's own UPDATE (no person acting) notifies the new assignee too.
$node->safe_psql('postgres', "UPDATE actions.action SET assignee_id = $id{bob} WHERE action_id = $a3");
@got = delivered_before_marker();
$msg = decode_payload($got[0]) // {};
is(scalar @got, 1, 'a direct UPDATE of the assignee delivers one notification');
is("$msg->{kind} $msg->{person_id} $msg->{action_id}", "reassigned $id{bob} $a3", 'reassigned, bob, that action');

$listener->quit;
$node->stop;
done_testing();
