#!/usr/bin/env python3
"""pg_actions from a Python application: psycopg 3 with a connection pool.

The application logs in to PostgreSQL as one role, example_app, registered as a trusted service
(actions.trust_service). Its users are people of pg_actions without a login role of their own: for
each request the application opens a transaction on a pooled connection, says for whom it acts with
actions.act_as(person_id), calls the API, and commits. act_as ends with the transaction, so the next
transaction on the same connection (or, behind PgBouncer in transaction mode, on the same server
connection) acts for no one until it calls act_as again.

A worker LISTENs on channel pg_actions over a direct connection (LISTEN does not survive a
transaction pooler) and delivers each notification: the payload is the notification id and nothing
else, the facts are read from actions.notification.

Connections (libpq strings; every one defaults to the PG* environment variables):
  EXAMPLE_ADMIN_DSN   the administrator who runs docs/examples/app_setup.sql (user postgres unless PGUSER)
  EXAMPLE_POOL_DSN    the application's pool, user example_app (may point at PgBouncer)
  EXAMPLE_LISTEN_DSN  the worker's direct connection, user example_app (never through a transaction pooler)
Database: PGDATABASE, else pg_actions.

Run against `make demo`:  make example-python   (or PGHOST=... PGPORT=... python3 docs/examples/python/app.py)
Exits 0 when every step did what it should, 1 otherwise.
"""
import os
import queue
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import errors
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

APP_ROLE = "example_app"
STOP_CHANNEL = "pg_actions_example_stop"
DB = os.environ.get("PGDATABASE", "pg_actions")
ADMIN_DSN = os.environ.get("EXAMPLE_ADMIN_DSN") or make_conninfo(
    "", dbname=DB, user=os.environ.get("PGUSER", "postgres"))
POOL_DSN = os.environ.get("EXAMPLE_POOL_DSN") or make_conninfo("", dbname=DB, user=APP_ROLE)
LISTEN_DSN = os.environ.get("EXAMPLE_LISTEN_DSN") or make_conninfo("", dbname=DB, user=APP_ROLE)


def setup():
    """The administrator's one-time set-up; returns the workspace and the people's ids."""
    sql = (Path(__file__).resolve().parent.parent / "app_setup.sql").read_text()
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        cur = conn.execute(sql)  # several statements, no parameters: one simple query
        while cur.description is None and cur.nextset():
            pass
        ws, ana, ben, cleo = cur.fetchone()
    return ws, {"ana": ana, "ben": ben, "cleo": cleo}


@contextmanager
def acting_for(pool, person_id):
    """One request of one user: a transaction on a pooled connection that acts for person_id.
    The commit (or the rollback on an exception) ends act_as."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT actions.act_as(%s)", [person_id])
        yield conn


def backend_pid(conn):
    return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


class Worker(threading.Thread):
    """LISTEN pg_actions on a direct connection; deliver each notification read through the pool."""

    def __init__(self, pool, names):
        super().__init__(name="notification-worker", daemon=True)
        self.pool = pool
        self.names = names               # the application's own user directory: person id -> name
        self.delivered = queue.Queue()   # (notification_id, person_id, kind, action_id, link)
        self.ready = threading.Event()
        self.error = None

    def run(self):
        try:
            with psycopg.connect(LISTEN_DSN, autocommit=True) as conn:
                conn.execute("LISTEN pg_actions")
                conn.execute(f"LISTEN {STOP_CHANNEL}")
                self.pid = backend_pid(conn)
                self.ready.set()
                # Only listen on this connection: a query run on it could swallow a notification.
                for n in conn.notifies():
                    if n.channel == STOP_CHANNEL:
                        if n.payload == str(self.pid):
                            break
                        continue
                    if n.payload.isdigit():
                        self.deliver(int(n.payload))
        except Exception as ex:  # reported by main
            self.error = ex
            self.ready.set()

    def deliver(self, notification_id):
        # The trusted service reads the notification's facts (README, "Notifications"); the payload
        # itself says nothing but the id, since every role may LISTEN on every channel.
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT person_id, kind, action_id, link FROM actions.notification WHERE notification_id = %s",
                [notification_id]).fetchone()
        if row is None:
            print(f"   worker: notification {notification_id} is not readable; skipped")
            return
        person_id, kind, action_id, link = row
        # A real application sends an e-mail or a push message here; this one hands it to main.
        self.delivered.put((notification_id, person_id, kind, action_id, link))


def main():
    ok = True

    def check(cond, what):
        nonlocal ok
        if not cond:
            ok = False
            print(f"   FAILED: {what}")

    ws, people = setup()
    names = {people["ana"]: "Ana", people["ben"]: "Ben", people["cleo"]: "Cleo"}
    print(f"== set-up (administrator): trusted service {APP_ROLE}, workspace {ws}, "
          f"people ana={people['ana']} ben={people['ben']} cleo={people['cleo']}")

    # prepare_threshold=None: no server-side prepared statements, which a transaction pooler
    # (PgBouncer before 1.21) would send to whichever server connection the next transaction gets.
    with ConnectionPool(POOL_DSN, min_size=2, max_size=4, name="example_app", open=True,
                        kwargs={"autocommit": True, "prepare_threshold": None}) as pool:
        pool.wait(timeout=10)
        worker = Worker(pool, names)
        worker.start()
        worker.ready.wait(10)
        if worker.error:
            raise worker.error
        print(f"== worker: LISTEN pg_actions on a direct connection (backend {worker.pid})")

        title = f"Check the fire exits ({time.strftime('%H:%M:%S')})"
        print("== 1. Ana creates an action for Ben")
        with acting_for(pool, people["ana"]) as conn:
            action = conn.execute(
                "SELECT actions.create_action(%s, %s, assignee_id => %s, due_on => current_date + 7, priority => 'high')",
                [ws, title, people["ben"]]).fetchone()[0]
            print(f"   action {action} '{title}' assigned to Ben (backend {backend_pid(conn)})")

        print("== 2. Ben is away: he reassigns it to Cleo")
        with acting_for(pool, people["ben"]) as conn:
            conn.execute("SELECT actions.reassign(%s, %s)", [action, people["cleo"]])
            print(f"   reassigned to Cleo (backend {backend_pid(conn)})")

        print("== 3. Cleo starts it and completes it with evidence")
        with acting_for(pool, people["cleo"]) as conn:
            conn.execute("SELECT actions.start(%s)", [action])
            conn.execute("SELECT actions.complete(%s, evidence => %s, evidence_name => 'exits.txt', evidence_type => 'text/plain')",
                         [action, b"All four fire exits clear and signed"])
            print(f"   complete (backend {backend_pid(conn)})")

        print("== 4. act_as lasts one transaction: the same pooled connection, after COMMIT, acts for no one")
        with pool.connection() as conn:
            with conn.transaction():
                conn.execute("SELECT actions.act_as(%s)", [people["ana"]])
                actor_in = conn.execute("SELECT actions.current_actor()").fetchone()[0]
                pid_in = backend_pid(conn)
            # The next transaction: no act_as.
            with conn.transaction():
                actor_after = conn.execute("SELECT actions.current_actor()").fetchone()[0]
                pid_after = backend_pid(conn)
            print(f"   inside the transaction: acting for {names.get(actor_in, actor_in)} (backend {pid_in}); "
                  f"after COMMIT: acting for {actor_after} (backend {pid_after})")
            check(actor_in == people["ana"], "act_as(ana) acts for Ana inside its transaction")
            check(actor_after is None, "after COMMIT nobody is acting")
            try:
                with conn.transaction():
                    conn.execute("SELECT actions.create_action(%s, 'Nobody asked for this')", [ws])
                check(False, "create_action without act_as is refused")
            except errors.InsufficientPrivilege as ex:
                print(f"   create_action without act_as: refused ({ex.sqlstate}) {ex.diag.message_primary}")
                check("no person is acting" in (ex.diag.message_primary or ""), "refused as no person is acting")

        print("== 5. the worker delivers the notifications (LISTEN pg_actions, payload = notification id)")
        want = {("assigned", people["ben"]), ("reassigned", people["cleo"])}
        got = set()
        deadline = time.monotonic() + 15
        while want - got and time.monotonic() < deadline:
            try:
                nid, person_id, kind, action_id, link = worker.delivered.get(timeout=0.5)
            except queue.Empty:
                continue
            print(f"   to {names.get(person_id, f'person {person_id}')}: {kind} action {action_id} "
                  f"{link}  (notification {nid})")
            if action_id == action:
                got.add((kind, person_id))
        check(not (want - got), f"notifications delivered: missing {sorted(want - got)}")
        with psycopg.connect(LISTEN_DSN, autocommit=True) as conn:
            conn.execute(f"NOTIFY {STOP_CHANNEL}, '{worker.pid}'")
        worker.join(10)
        check(worker.error is None, f"worker ended cleanly ({worker.error})")

        print("== 6. the activity log of the action, read in a transaction acting for Ana")
        with acting_for(pool, people["ana"]) as conn:
            log = conn.execute(
                "SELECT seq, event, coalesce(new_value, ''), actor_id, db_role FROM actions.activity "
                "WHERE workspace_id = %s AND action_id = %s ORDER BY seq", [ws, action]).fetchall()
        for seq, event, new_value, actor_id, db_role in log:
            if event in ("assigned", "reassigned") and new_value.isdigit():
                new_value = names.get(int(new_value), new_value)
            new_value = new_value[:20]
            print(f"   {seq:2} {event:<12} {new_value:<20} by {names.get(actor_id, actor_id)} (as role {db_role})")
        actors = {event: actor_id for _, event, _, actor_id, _ in log}
        check(actors.get("created") == people["ana"], "created by Ana")
        check(actors.get("reassigned") == people["ben"], "reassigned by Ben")
        check(actors.get("started") == people["cleo"] and actors.get("completed") == people["cleo"],
              "started and completed by Cleo")

    print(f"done: action {action}, {len(log)} log entries, {len(got)} notifications delivered: "
          + ("all checks passed" if ok else "SOME CHECKS FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
