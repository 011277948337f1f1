// Out-of-office rules (see absence.hpp).
#include "absence.hpp"

#include <array>
#include <string>

namespace pg_actions::core {

namespace {
constexpr std::array<std::string_view, absence_routing_count> routing_names{"substitute", "both"};

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}
}  // namespace

std::string_view absence_routing_name(AbsenceRouting r) { return routing_names.at(static_cast<std::size_t>(r)); }

std::optional<AbsenceRouting> parse_absence_routing(std::string_view text) {
    for (std::size_t i = 0; i < routing_names.size(); ++i)
        if (routing_names[i] == text) return static_cast<AbsenceRouting>(i);
    return std::nullopt;
}

bool contains(const AbsencePeriod& p, std::int64_t at) { return p.starts_at <= at && at < p.ends_at; }

bool stands_in(const AbsencePeriod& p, std::int64_t now, std::optional<MemberState> substitute_state) {
    return contains(p, now) && may_act(substitute_state);
}

bool overlaps(const AbsencePeriod& a, const AbsencePeriod& b) { return a.starts_at < b.ends_at && b.starts_at < a.ends_at; }

std::optional<Refusal> check_absence(const AbsenceRequest& r) {
    if (r.period.ends_at <= r.period.starts_at)
        return invalid("the absence ends before it starts", "ends_at must be later than starts_at",
                       "pass an ends_at after starts_at");
    if (r.period.ends_at <= r.now)
        return invalid("the absence is over already", "ends_at lies in the past",
                       "declare absences that have not ended yet");
    if (r.substitute_id == r.person_id)
        return invalid("a member cannot be their own substitute", "the substitute acts for the absent member",
                       "name another active member of the workspace as substitute");
    if (!r.substitute_active)
        return invalid("person " + std::to_string(r.substitute_id) + " cannot be a substitute",
                       "a substitute must be an active member of the workspace",
                       "name an active member (an invited one must accept the invitation first)");
    for (const auto& [id, p] : r.existing)
        if (overlaps(p, r.period))
            return invalid("the absence overlaps absence " + std::to_string(id) + " of person " +
                               std::to_string(r.person_id),
                           "a member has at most one absence (and so one substitute) at any time",
                           "end or shorten the other absence with actions.end_absence() first, or choose other dates");
    return std::nullopt;
}

Routed route_assignment(std::int64_t assignee, std::optional<std::int64_t> actor, std::optional<AbsenceNow> absence,
                        AbsenceRouting routing) {
    Routed out{assignee, std::nullopt, std::nullopt};
    // No absence now, a substitute who may not act any more, or an absent member at work: unchanged.
    if (!absence || !absence->substitute_active || actor == assignee || absence->substitute_id == assignee) return out;
    if (routing == AbsenceRouting::both) {
        out.notify_substitute = absence->substitute_id;
        return out;
    }
    out.assignee = absence->substitute_id;
    out.instead_of = assignee;
    return out;
}

bool acts_for_assignee(Verb verb, const Facts& facts) {
    return facts.is_substitute && !facts.is_assignee && verb != Verb::view;
}

std::string with_person(const std::optional<std::string>& detail_json, std::string_view key, std::int64_t person_id) {
    std::string out;
    out.reserve(32 + (detail_json ? detail_json->size() : 0));
    out.append("{\"").append(key).append("\":").append(std::to_string(person_id));
    if (detail_json && detail_json->size() >= 2 && detail_json->front() == '{') {
        std::string_view inner(*detail_json);
        inner = inner.substr(1, inner.size() - 2);
        if (inner.find_first_not_of(" \t\n") != std::string_view::npos) out.append(",").append(inner);
    }
    out.append("}");
    return out;
}

bool absence_visible(const Facts& actor, std::int64_t actor_id, std::int64_t person_id, std::int64_t substitute_id) {
    if (!actor.is_member) return false;
    return actor_id == person_id || actor_id == substitute_id ||
           actor.granted.test(static_cast<std::size_t>(Permission::view_actions));
}

}  // namespace pg_actions::core
