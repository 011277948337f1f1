// Out-of-office: a member's declared absence (from, to, substitute), what a declaration must
// satisfy, where a new assignment to an absent member goes, and when an act is one "for" them.
// Whether the substitute may act is decided when they act (Facts::is_substitute, permission.hpp),
// never by a background job: an absence that ended, or a substitute who is no longer an active
// member, stops at once.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "member.hpp"
#include "permission.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

// Where a new assignment to an absent member goes (actions.workspace.absence_routing):
// substitute: the substitute becomes the assignee instead;
// both: the absent member stays the assignee and the substitute is notified ('substitute'
//       notification); the substitute may act on it anyway while the absence lasts.
enum class AbsenceRouting { substitute, both };
inline constexpr std::size_t absence_routing_count = 2;
std::string_view absence_routing_name(AbsenceRouting r);
std::optional<AbsenceRouting> parse_absence_routing(std::string_view text);

// Times are microseconds on one clock (the glue passes PostgreSQL's TimestampTz).
struct AbsencePeriod {
    std::int64_t starts_at;
    std::int64_t ends_at;  // exclusive
};
bool contains(const AbsencePeriod& p, std::int64_t at);
bool overlaps(const AbsencePeriod& a, const AbsencePeriod& b);

// Whether a substitute stands in for the absent member now (actions.substituted_members(), which
// the row-level security policies read: they see and act on the actions assigned to the absent
// member): the absence is under way at `now` (contains) and the substitute acts in the absence's
// workspace (an active member, may_act; an invited or removed one stands in for nobody).
bool stands_in(const AbsencePeriod& p, std::int64_t now, std::optional<MemberState> substitute_state);

// What a declaration is checked against.
struct AbsenceRequest {
    std::int64_t person_id;
    std::int64_t substitute_id;
    AbsencePeriod period;
    std::int64_t now;
    bool substitute_active = false;               // an active member of the workspace now
    std::vector<std::pair<std::int64_t, AbsencePeriod>> existing;  // the person's absences (id, period)
};
// nullopt: the absence may be recorded. Refused (22023): it ends before it starts (or when it
// starts), it is over already, the substitute is the person, the substitute is not an active
// member, it overlaps another absence of the person.
std::optional<Refusal> check_absence(const AbsenceRequest& r);

// Where a new assignment goes. assignee: the person named; actor: who is assigning (an absent
// member who assigns to themselves is at work: no redirection); absence: the substitute of the
// assignee's absence now, if any, and whether that substitute is an active member now.
struct Routed {
    std::int64_t assignee;                     // who gets the action
    std::optional<std::int64_t> instead_of;   // the absent member, when redirected
    std::optional<std::int64_t> notify_substitute;  // routing both: the substitute to notify
};
struct AbsenceNow {
    std::int64_t substitute_id;
    bool substitute_active;
};
Routed route_assignment(std::int64_t assignee, std::optional<std::int64_t> actor, std::optional<AbsenceNow> absence,
                        AbsenceRouting routing);

// Who may see an absence (the policy absence_visible says the same in SQL): an active member of
// its workspace who is the absent member, the substitute, or holds view_actions for the whole
// workspace. Anyone else is told it does not exist, before any lock is taken on it.
bool absence_visible(const Facts& actor, std::int64_t actor_id, std::int64_t person_id, std::int64_t substitute_id);

// Whether this act is one for the absent assignee: the actor is their substitute now, not the
// assignee, and the verb changes the action (viewing is not logged). The glue then logs the act
// with the absent member as acting_for.
bool acts_for_assignee(Verb verb, const Facts& facts);

// The log entry's detail with "acting_for" (or another id key) added: detail is a JSON object
// or nothing.
std::string with_person(const std::optional<std::string>& detail_json, std::string_view key, std::int64_t person_id);

}  // namespace pg_actions::core
