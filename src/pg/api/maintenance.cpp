// The pg_cron side of maintenance (src/sql/60_maintenance.sql): which database pg_cron keeps its
// jobs in (cron.database_name), scheduling and removing this database's job there over libpq
// when that is another database, and the event trigger that removes the job before pg_actions is
// dropped, so that no job is left failing every minute.
//
// The connection never blocks the backend outside PostgreSQL's control: libpq's asynchronous calls
// (PQconnectStartParams/PQconnectPoll, PQsendQueryParams, PQconsumeInput/PQisBusy) with every wait
// in WaitLatchOrSocket, as postgres_fdw and dblink wait, so a cancel, a statement_timeout or a
// terminate ends it at once, and the whole exchange gives up after remote_timeout_ms.
#include "pg/boundary/postgres.hpp"

extern "C" {
#include "commands/dbcommands.h"
#include "commands/event_trigger.h"
#include "libpq-fe.h"
#include "nodes/parsenodes.h"
#include "postmaster/postmaster.h"
#include "storage/latch.h"
#include "utils/wait_event.h"
#include "utils/varlena.h"
}

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "pg/boundary/spi.hpp"
#include "pg/store/maintenance_store.hpp"
#include "pg/store/shards.hpp"

using namespace pg_actions::pg;

namespace {

// cron.database_name, or nothing when pg_cron is not loaded. pg_cron marks it superuser-only;
// whoever may schedule the job may know where it is kept.
std::optional<std::string> cron_database() {
    const char* v = guard([]() -> const char* { return GetConfigOption("cron.database_name", true, false); });
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

std::string current_database() {
    const char* n = guard([]() -> const char* { return get_database_name(MyDatabaseId); });
    return n ? std::string(n) : std::string();
}

std::string current_user_name() {
    return guard([]() -> const char* { return GetUserNameFromId(GetUserId(), false); });
}

// Where this server's own clients reach it: its first Unix socket directory; without one, the
// host pg_cron itself connects to (cron.host).
std::string own_host() {
    const char* dir = guard([]() -> const char* {
        if (Unix_socket_directories == nullptr || *Unix_socket_directories == '\0') return nullptr;
        List* dirs = NIL;
        if (!SplitDirectoriesString(pstrdup(Unix_socket_directories), ',', &dirs) || dirs == NIL) return nullptr;
        return static_cast<const char*>(linitial(dirs));
    });
    if (dir != nullptr) return dir;
    const char* host = guard([]() -> const char* { return GetConfigOption("cron.host", true, false); });
    return host ? host : "localhost";
}

// How long connecting, and then the statement there, may take: each gets this much.
constexpr int remote_timeout_ms = 10000;
// The statement's own limit there (a little later than ours, so that ours says what happened), so
// that it never long outlives the call that gave up on it; and how often that backend looks whether
// this one is still connected (Linux reports a closed peer), so that a statement abandoned while it
// waits for a lock ends within a second instead of going on to commit.
#ifdef __linux__
#define REMOTE_OPTIONS "-c search_path=pg_catalog,pg_temp -c statement_timeout=12000 -c client_connection_check_interval=1000"
#else
#define REMOTE_OPTIONS "-c search_path=pg_catalog,pg_temp -c statement_timeout=12000"
#endif

TimestampTz deadline_from_now() {
    return guard([]() -> TimestampTz { return TimestampTzPlusMilliseconds(GetCurrentTimestamp(), remote_timeout_ms); });
}

// Waits until the connection's socket can be written (write) or read, in WaitLatchOrSocket: a
// pending interrupt (a cancel, statement_timeout, a terminate) ends the wait with its error, a
// postmaster that died ends the backend. False once the deadline has passed.
bool wait_for_socket(PGconn* conn, bool write, TimestampTz deadline) {
    for (;;) {
        check_for_interrupts();
        long ms = guard([&]() -> long { return TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline); });
        if (ms <= 0) return false;
        int events = WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH | (write ? WL_SOCKET_WRITEABLE : WL_SOCKET_READABLE);
        pgsocket sock = PQsocket(conn);
        int rc = guard([&]() -> int { return WaitLatchOrSocket(MyLatch, events, sock, ms, PG_WAIT_EXTENSION); });
        if (rc & WL_LATCH_SET) guard([] { ResetLatch(MyLatch); });
        if (rc & (WL_SOCKET_READABLE | WL_SOCKET_WRITEABLE)) return true;
    }
}

std::string trimmed(const char* s) {
    std::string t = s ? s : "";
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
    return t;
}

// libpq's objects, freed on every way out (an exception unwinds through these; no PostgreSQL
// error ever longjmps across them: every PostgreSQL call below runs inside guard()).
struct Connection {
    PGconn* conn = nullptr;
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() {
        if (conn) PQfinish(conn);
    }
};
struct Result {
    PGresult* res = nullptr;
    Result() = default;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    ~Result() {
        if (res) PQclear(res);
    }
};

// A connection to the database pg_cron lives in, as the current user, over this server's own socket.
void connect_to(Connection& c, const std::string& db) {
    std::string host = own_host();
    std::string port = std::to_string(PostPortNumber);
    std::string user = current_user_name();
    const char* keys[] = {"host", "port", "dbname", "user", "application_name", "options", nullptr};
    const char* values[] = {host.c_str(), port.c_str(), db.c_str(), user.c_str(), "pg_actions", REMOTE_OPTIONS, nullptr};
    c.conn = PQconnectStartParams(keys, values, 0);
    if (c.conn == nullptr)
        throw PgError(ERRCODE_OUT_OF_MEMORY, "out of memory connecting to database \"" + db + "\"");
    // libpq's loop: wait as PQconnectPoll last asked (at first, to write), then poll again.
    TimestampTz deadline = deadline_from_now();
    PostgresPollingStatusType polled = PGRES_POLLING_WRITING;
    while (PQstatus(c.conn) != CONNECTION_BAD && polled != PGRES_POLLING_OK && polled != PGRES_POLLING_FAILED) {
        if (!wait_for_socket(c.conn, polled == PGRES_POLLING_WRITING, deadline))
            throw PgError(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                          "could not connect to database \"" + db + "\", where pg_cron keeps its jobs, within " +
                              std::to_string(remote_timeout_ms / 1000) + " s",
                          "the server at " + host + ", port " + port + " did not complete the connection",
                          "check that the server accepts connections there (max_connections, a stalled server), "
                          "then call again");
        polled = PQconnectPoll(c.conn);
    }
    if (PQstatus(c.conn) != CONNECTION_OK)
        throw PgError(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                      "could not connect to database \"" + db + "\", where pg_cron keeps its jobs",
                      trimmed(PQerrorMessage(c.conn)),
                      "pg_actions connects as role \"" + user + "\" to " + host + ", port " + port +
                          ": let pg_hba.conf admit that role to database \"" + db +
                          "\" on the local socket (trust or peer), or put its password in the .pgpass file of the "
                          "server's operating system user");
    // As dblink does: a role that is not a superuser must have proven itself with a password, so
    // the server's own trust in its local socket lends nobody any rights.
    bool is_superuser = guard([]() -> bool { return superuser(); });
    if (!is_superuser && !PQconnectionUsedPassword(c.conn))
        throw PgError(ERRCODE_INSUFFICIENT_PRIVILEGE, "password is required to schedule in database \"" + db + "\"",
                      "a role that is not a superuser connects to the pg_cron database with a password",
                      "call actions.schedule_maintenance() as a superuser, or give role \"" + user +
                          "\" a password in the .pgpass file of the server's operating system user");
}

[[noreturn]] void no_answer(const std::string& db, const char* sql) {
    throw PgError(ERRCODE_CONNECTION_FAILURE,
                  "database \"" + db + "\", where pg_cron keeps its jobs, did not answer within " +
                      std::to_string(remote_timeout_ms / 1000) + " s",
                  std::string("the statement there was abandoned: ") + sql,
                  "another session may hold a lock on pg_cron's tables there (see pg_locks in database \"" + db +
                      "\"); call again once it is gone: scheduling the same job again is harmless");
}

// Sends the statement and collects its results without blocking: every wait is wait_for_socket().
// Returns the first result (nullptr if libpq returned none: see PQerrorMessage).
PGresult* exchange(PGconn* conn, const std::string& db, const char* sql, int nparams, const char* const* params) {
    TimestampTz deadline = deadline_from_now();
    if (PQsetnonblocking(conn, 1) != 0 || !PQsendQueryParams(conn, sql, nparams, nullptr, params, nullptr, nullptr, 0))
        return nullptr;
    for (;;) {
        int left = PQflush(conn);
        if (left == 0) break;
        if (left < 0) return nullptr;
        if (!wait_for_socket(conn, true, deadline)) no_answer(db, sql);
    }
    Result first;
    for (;;) {
        while (PQisBusy(conn)) {
            if (!wait_for_socket(conn, false, deadline)) no_answer(db, sql);
            if (!PQconsumeInput(conn)) return first.res ? std::exchange(first.res, nullptr) : nullptr;
        }
        PGresult* res = PQgetResult(conn);
        if (res == nullptr) break;
        if (first.res == nullptr) first.res = res;
        else PQclear(res);
    }
    return std::exchange(first.res, nullptr);
}

// Runs one statement with text parameters there; its single value, as a number.
std::int64_t run_there(Connection& c, const std::string& db, const char* sql, int nparams, const char* const* params) {
    Result r;
    r.res = exchange(c.conn, db, sql, nparams, params);
    if (r.res == nullptr || PQresultStatus(r.res) != PGRES_TUPLES_OK) {
        const char* state = r.res ? PQresultErrorField(r.res, PG_DIAG_SQLSTATE) : nullptr;
        const char* message = r.res ? PQresultErrorField(r.res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        const char* detail = r.res ? PQresultErrorField(r.res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
        const char* hint = r.res ? PQresultErrorField(r.res, PG_DIAG_MESSAGE_HINT) : nullptr;
        int code = (state && strlen(state) == 5) ? MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4])
                                                 : ERRCODE_CONNECTION_FAILURE;
        // A missing schema, function or table there: pg_cron is not installed in that database.
        bool no_cron = code == ERRCODE_INVALID_SCHEMA_NAME || code == ERRCODE_UNDEFINED_FUNCTION ||
                       code == ERRCODE_UNDEFINED_TABLE;
        throw PgError(code,
                      "in database \"" + db + "\", where pg_cron keeps its jobs: " +
                          (message ? std::string(message) : trimmed(PQerrorMessage(c.conn))),
                      detail ? detail : "",
                      hint ? std::string(hint)
                      : no_cron ? "pg_cron must be installed there (CREATE EXTENSION pg_cron in database \"" + db +
                                      "\", as a superuser)"
                                : std::string());
    }
    if (PQntuples(r.res) != 1 || PQnfields(r.res) != 1 || PQgetisnull(r.res, 0, 0))
        throw PgError(ERRCODE_INTERNAL_ERROR, "pg_actions: unexpected answer from database \"" + db + "\"", sql,
                      "this is a bug in pg_actions; please report it");
    return std::strtoll(PQgetvalue(r.res, 0, 0), nullptr, 10);
}

// The database pg_cron lives in, when it is another one than this.
std::string cron_database_elsewhere() {
    std::optional<std::string> db = cron_database();
    if (!db)
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "pg_cron is not loaded", "",
                      "add pg_cron to shared_preload_libraries and restart");
    if (*db == current_database())
        throw PgError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "pg_cron lives in this database", "",
                      "use actions.schedule_maintenance() and actions.unschedule_maintenance()");
    return *db;
}

std::string text_arg(FunctionCallInfo fcinfo, int i, const char* name) {
    if (PG_ARGISNULL(i))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be null", "",
                      "actions.schedule_maintenance() passes it");
    return text_of(PG_GETARG_DATUM(i));
}

bool names(const List* objects, const char* name) {
    for (int i = 0; i < list_length(objects); i++) {
        Node* n = static_cast<Node*>(list_nth(objects, i));
        if (n != nullptr && IsA(n, String) && strcmp(strVal(n), name) == 0) return true;
    }
    return false;
}

// Whether the command about to run drops pg_actions: DROP EXTENSION pg_actions, or DROP SCHEMA
// actions CASCADE.
bool drops_pg_actions(Node* tree) {
    if (tree == nullptr || !IsA(tree, DropStmt)) return false;
    const DropStmt* stmt = reinterpret_cast<const DropStmt*>(tree);
    if (stmt->removeType == OBJECT_EXTENSION) return names(stmt->objects, "pg_actions");
    // The schema is always actions: the extension is not relocatable (pg_actions.control).
    return stmt->removeType == OBJECT_SCHEMA && stmt->behavior == DROP_CASCADE && names(stmt->objects, "actions");
}

}  // namespace

extern "C" {

// run_task_here(task): the maintenance task actions.<task>() over this node's part of the data:
// on a Citus worker once for each workspace placed here, with its marked statements naming that
// workspace (ForwardedCall), so Citus runs each on the local shards (a sweep's FOR UPDATE over
// every shard is refused); elsewhere once. Returns the sum of the task's counts. actions.
// run_maintenance() calls it, on each worker through Citus' run_command_on_workers().
PG_ACTIONS_FUNCTION(pg_actions_run_task_here) {
    if (PG_ARGISNULL(0))
        throw PgError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "task must not be null", "",
                      "name a task of actions.maintenance_status");
    std::string task = text_of(PG_GETARG_DATUM(0));
    if (guard([] { return shards::on_distributed_coordinator(); }))
        throw PgError(ERRCODE_FEATURE_NOT_SUPPORTED, "a maintenance task runs on the workers of a Citus cluster",
                      "the coordinator holds no rows of a distributed table",
                      "call actions.run_maintenance(), which runs every task on every worker");
    SpiScope spi;
    if (!store::is_maintenance_task(task))
        throw PgError(ERRCODE_INVALID_PARAMETER_VALUE, "unknown maintenance task \"" + task + "\"", "",
                      "the tasks are the rows of actions.maintenance_status");
    if (!guard([] { return shards::on_citus_worker(); })) PG_RETURN_INT64(store::run_task(task));
    std::int64_t total = 0;
    for (std::int64_t workspace_id : store::workspaces_placed_here()) {
        check_for_interrupts();
        ForwardedCall here(workspace_id);
        total += store::run_task(task);
    }
    PG_RETURN_INT64(total);
}

// cron_database_name(): cron.database_name, or NULL.
PG_ACTIONS_FUNCTION(pg_actions_cron_database_name) {
    std::optional<std::string> db = cron_database();
    if (!db) PG_RETURN_NULL();
    return text_datum(*db);
}

// cron_schedule_elsewhere(job_name, schedule, command): the job for this database, scheduled in
// the database pg_cron lives in. pg_cron upserts by job name and owner, so scheduling again
// changes the schedule of the same job.
PG_ACTIONS_FUNCTION(pg_actions_cron_schedule_elsewhere) {
    std::string job = text_arg(fcinfo, 0, "job_name");
    std::string schedule = text_arg(fcinfo, 1, "schedule");
    std::string command = text_arg(fcinfo, 2, "command");
    std::string here = current_database();
    std::string db = cron_database_elsewhere();
    Connection c;
    connect_to(c, db);
    const char* params[] = {job.c_str(), schedule.c_str(), command.c_str(), here.c_str()};
    std::int64_t id = run_there(c, db, store::cron_schedule_in_database_sql, 4, params);
    PG_RETURN_INT64(id);
}

// cron_unschedule_elsewhere(job_name): removes this database's job of that name there.
PG_ACTIONS_FUNCTION(pg_actions_cron_unschedule_elsewhere) {
    std::string job = text_arg(fcinfo, 0, "job_name");
    std::string here = current_database();
    std::string db = cron_database_elsewhere();
    Connection c;
    connect_to(c, db);
    const char* params[] = {job.c_str(), here.c_str()};
    std::int64_t n = run_there(c, db, store::cron_unschedule_in_database_sql, 2, params);
    PG_RETURN_INT64(n);
}

// Event trigger on ddl_command_start: before pg_actions is dropped, its job goes. A failure to
// remove it is a WARNING (unschedule_maintenance(quiet => true)): the extension stays droppable.
// It runs whatever version the installed schema is, for the same reason.
PG_FUNCTION_INFO_V1(pg_actions_unschedule_on_drop);
Datum pg_actions_unschedule_on_drop(PG_FUNCTION_ARGS) {
    return entry(
        fcinfo,
        [&]() -> Datum {
            if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
                throw PgError(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, "actions.unschedule_on_drop() is an event trigger",
                              "", "it runs by itself when pg_actions is dropped");
            const EventTriggerData* data = reinterpret_cast<const EventTriggerData*>(fcinfo->context);
            if (!drops_pg_actions(data->parsetree)) PG_RETURN_VOID();
            SpiScope spi;
            store::unschedule_maintenance_quietly();
            PG_RETURN_VOID();
        },
        false);
}

}  // extern "C"
