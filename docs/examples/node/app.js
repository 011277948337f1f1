#!/usr/bin/env node
// pg_actions from a Node.js application: the `pg` package's Pool, as a trusted service.
//
// The application logs in to PostgreSQL as one role, example_app, registered as a trusted service
// (actions.trust_service). Its users are people of pg_actions without a login role of their own:
// for each request the application takes a pooled client, opens a transaction, says for whom it
// acts with actions.act_as(person_id), calls the API and commits. act_as ends with the transaction,
// so the next transaction on the same client acts for no one until it calls act_as again.
//
// A worker LISTENs on channel pg_actions over a direct connection (LISTEN does not survive a
// transaction pooler such as PgBouncer) and delivers each notification: the payload is the
// notification id and nothing else, the facts are read from actions.notification.
//
// Connections: the PG* environment variables (PGHOST may be a Unix socket directory); the pool and
// the worker log in as example_app, the set-up as PGUSER (default postgres). EXAMPLE_POOL_URL,
// EXAMPLE_LISTEN_URL and EXAMPLE_ADMIN_URL (postgresql:// URLs) override them one by one.
// Database: PGDATABASE, else pg_actions.
//
// Run against `make demo`:  make example-node   (or: cd docs/examples/node && npm ci && PGHOST=... PGPORT=... node app.js)
// Exits 0 when every step did what it should, 1 otherwise.
'use strict';

const fs = require('fs');
const path = require('path');
const { Client, Pool } = require('pg');

const APP_ROLE = 'example_app';
const STOP_CHANNEL = 'pg_actions_example_stop';
const database = process.env.PGDATABASE || 'pg_actions';
const config = (url, user) => (url ? { connectionString: url } : { database, user });
const ADMIN = config(process.env.EXAMPLE_ADMIN_URL, process.env.PGUSER || 'postgres');
const POOL = config(process.env.EXAMPLE_POOL_URL, APP_ROLE);
const LISTEN = config(process.env.EXAMPLE_LISTEN_URL, APP_ROLE);

let ok = true;
function check(cond, what) {
  if (!cond) {
    ok = false;
    console.log(`   FAILED: ${what}`);
  }
}

// The administrator's one-time set-up: returns the workspace and the people's ids.
async function setup() {
  const sql = fs.readFileSync(path.join(__dirname, '..', 'app_setup.sql'), 'utf8');
  const admin = new Client(ADMIN);
  await admin.connect();
  try {
    const results = await admin.query(sql); // several statements, no parameters: one simple query
    const last = results[results.length - 1].rows[0];
    return { ws: last.workspace_id, ana: last.ana, ben: last.ben, cleo: last.cleo };
  } finally {
    await admin.end();
  }
}

// One request of one user: a transaction on a pooled client that acts for personId. The COMMIT
// (or the ROLLBACK when fn throws) ends act_as; then the client goes back to the pool.
async function actingFor(pool, personId, fn) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT actions.act_as($1)', [personId]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

const backendPid = async (client) => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;

// LISTEN pg_actions on a direct connection; each notification is read through the pool and
// handed to deliver() (a real application sends an e-mail or a push message there).
async function startWorker(pool, deliver) {
  const listener = new Client(LISTEN);
  await listener.connect();
  const pid = await backendPid(listener);
  listener.on('notification', async (msg) => {
    if (msg.channel !== 'pg_actions' || !/^\d+$/.test(msg.payload)) return;
    // The trusted service reads the notification's facts (README, "Notifications"): the payload
    // says nothing but the id, since every role may LISTEN on every channel.
    try {
      const { rows } = await pool.query(
        'SELECT notification_id, person_id, kind, action_id, link FROM actions.notification WHERE notification_id = $1',
        [msg.payload]);
      if (rows.length) deliver(rows[0]);
      else console.log(`   worker: notification ${msg.payload} is not readable; skipped`);
    } catch (err) {
      console.log(`   worker: notification ${msg.payload} not delivered: ${err.message}`);
    }
  });
  await listener.query('LISTEN pg_actions');
  return { pid, stop: () => listener.end() };
}

async function main() {
  const people = await setup();
  const names = { [people.ana]: 'Ana', [people.ben]: 'Ben', [people.cleo]: 'Cleo' };
  const ws = people.ws;
  console.log(`== set-up (administrator): trusted service ${APP_ROLE}, workspace ${ws}, ` +
              `people ana=${people.ana} ben=${people.ben} cleo=${people.cleo}`);

  // pg sends unnamed statements unless a query is given a name: safe behind a transaction pooler.
  const pool = new Pool({ ...POOL, min: 0, max: 4 });
  const delivered = [];
  let wake = () => {};
  const worker = await startWorker(pool, (n) => { delivered.push(n); wake(); });
  console.log(`== worker: LISTEN pg_actions on a direct connection (backend ${worker.pid})`);

  try {
    const title = `Check the fire exits (${new Date().toISOString().slice(11, 19)})`;
    console.log('== 1. Ana creates an action for Ben');
    const action = await actingFor(pool, people.ana, async (c) => {
      const { rows } = await c.query(
        "SELECT actions.create_action($1, $2, assignee_id => $3, due_on => current_date + 7, priority => 'high') AS id",
        [ws, title, people.ben]);
      console.log(`   action ${rows[0].id} '${title}' assigned to Ben (backend ${await backendPid(c)})`);
      return rows[0].id;
    });

    console.log('== 2. Ben is away: he reassigns it to Cleo');
    await actingFor(pool, people.ben, async (c) => {
      await c.query('SELECT actions.reassign($1, $2)', [action, people.cleo]);
      console.log(`   reassigned to Cleo (backend ${await backendPid(c)})`);
    });

    console.log('== 3. Cleo starts it and completes it with evidence');
    await actingFor(pool, people.cleo, async (c) => {
      await c.query('SELECT actions.start($1)', [action]);
      await c.query("SELECT actions.complete($1, evidence => $2, evidence_name => 'exits.txt', evidence_type => 'text/plain')",
                    [action, Buffer.from('All four fire exits clear and signed')]);
      console.log(`   complete (backend ${await backendPid(c)})`);
    });

    console.log('== 4. act_as lasts one transaction: the same pooled client, after COMMIT, acts for no one');
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT actions.act_as($1)', [people.ana]);
      const actorIn = (await c.query('SELECT actions.current_actor() AS a')).rows[0].a;
      await c.query('COMMIT');
      const actorAfter = (await c.query('SELECT actions.current_actor() AS a')).rows[0].a;
      console.log(`   inside the transaction: acting for ${names[actorIn] ?? actorIn}; after COMMIT: acting for ${actorAfter}`);
      check(actorIn === people.ana, 'act_as(ana) acts for Ana inside its transaction');
      check(actorAfter === null, 'after COMMIT nobody is acting');
      try {
        await c.query("SELECT actions.create_action($1, 'Nobody asked for this')", [ws]);
        check(false, 'create_action without act_as is refused');
      } catch (err) {
        console.log(`   create_action without act_as: refused (${err.code}) ${err.message}`);
        check(err.code === '42501' && /no person is acting/.test(err.message), 'refused as no person is acting');
      }
    } finally {
      c.release();
    }

    console.log('== 5. the worker delivers the notifications (LISTEN pg_actions, payload = notification id)');
    const want = new Set([`assigned ${people.ben}`, `reassigned ${people.cleo}`]);
    const got = new Set();
    const deadline = Date.now() + 15000;
    let seen = 0;
    while ([...want].some((w) => !got.has(w)) && Date.now() < deadline) {
      while (seen < delivered.length) {
        const n = delivered[seen++];
        console.log(`   to ${names[n.person_id] ?? `person ${n.person_id}`}: ${n.kind} action ${n.action_id} ` +
                    `${n.link}  (notification ${n.notification_id})`);
        if (n.action_id === action) got.add(`${n.kind} ${n.person_id}`);
      }
      await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 500); });
    }
    const missing = [...want].filter((w) => !got.has(w));
    check(missing.length === 0, `notifications delivered: missing ${missing.join(', ')}`);

    console.log('== 6. the activity log of the action, read in a transaction acting for Ana');
    const log = await actingFor(pool, people.ana, async (cl) => (await cl.query(
      "SELECT seq, event, coalesce(new_value, '') AS new_value, actor_id, db_role FROM actions.activity " +
      'WHERE workspace_id = $1 AND action_id = $2 ORDER BY seq', [ws, action])).rows);
    const actors = {};
    for (const e of log) {
      let value = e.new_value;
      if ((e.event === 'assigned' || e.event === 'reassigned') && names[value]) value = names[value];
      console.log(`   ${String(e.seq).padStart(2)} ${e.event.padEnd(12)} ${value.slice(0, 20).padEnd(20)} ` +
                  `by ${names[e.actor_id] ?? e.actor_id} (as role ${e.db_role})`);
      actors[e.event] = e.actor_id;
    }
    check(actors.created === people.ana, 'created by Ana');
    check(actors.reassigned === people.ben, 'reassigned by Ben');
    check(actors.started === people.cleo && actors.completed === people.cleo, 'started and completed by Cleo');

    console.log(`done: action ${action}, ${log.length} log entries, ${got.size} notifications delivered: ` +
                (ok ? 'all checks passed' : 'SOME CHECKS FAILED'));
  } finally {
    await worker.stop();
    await pool.end();
  }
  return ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(err);
  process.exitCode = 1;
});
