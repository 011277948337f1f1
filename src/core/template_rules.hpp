// Action templates: what a template may say and how an action is made from it. A template (per
// workspace, versioned) sets the type, a title and description with placeholders filled at
// creation, a relative due rule, the priority, the groups and a default assignee rule; the action
// itself is then created through create_action's rules (src/pg/api/templates.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "record_rules.hpp"
#include "refusal.hpp"
#include "pure.hpp"

namespace pg_actions::core {

class Calendar;  // core/calendar.hpp (not included: its Period and absence.hpp's would meet)

inline constexpr std::size_t max_template_name_chars = 200;
// A due rule reaches at most about a hundred years ahead.
inline constexpr std::int64_t max_due_in = 36600;

// The name a template is known by in its workspace: not blank, at most max_template_name_chars.
std::optional<Refusal> check_template_name(std::optional<std::string_view> name);
// A retired template is kept as it was and makes no new actions: refused for an edit (editing)
// and for a use (a new action, a schedule); none when it is not retired.
std::optional<Refusal> check_template_live(std::int64_t template_id, bool retired, bool editing);

// The unit of a relative due rule (and of a workflow's "due in N days"): calendar days, or working
// days of the workspace's business calendar (core/calendar.hpp). The SQL CHECKs list these names
// (catalog_test compares).
enum class DueUnit { calendar_days, working_days };
inline constexpr std::size_t due_unit_count = 2;  // names: catalog.hpp
std::string_view due_unit_name(DueUnit u);
std::optional<DueUnit> parse_due_unit(std::string_view text);
// due_in: whole units after the day of creation (0: due the same day), nullopt: no due date.
std::optional<Refusal> check_due_rule(std::optional<std::int64_t> due_in, std::string_view unit);

// The refusal (55000) of a working-days rule in a workspace without a business calendar; `what`
// names the rule ("a template's due rule", "the workflow's due days").
Refusal no_calendar_for_working_days(std::string_view what);

// The day (days since 1970-01-01, in the workspace's zone) a due rule of `n` units after `today`
// falls on. calendar_days: today + n. working_days: the nth working day of `calendar` after today
// (0: today itself; a date-only due date on a non-working day then moves as the workspace's
// non_working_due says). calendar is nullptr without one: refused for working days (55000).
std::variant<std::int64_t, Refusal> rule_due_day(DueUnit unit, std::int64_t today, std::int64_t n,
                                                 const Calendar* calendar);

// Who a new action from a template is assigned to when the call names nobody: nobody, a person,
// the person creating it, the person holding a capacity on the linked record, or nobody yet: the
// action is offered to the template's pool of candidates (core/pool.hpp), one of whom claims it.
enum class AssigneeRule { none, person, creator, record_party, pool };
inline constexpr std::size_t assignee_rule_count = 5;
std::string_view assignee_rule_name(AssigneeRule r);
std::optional<AssigneeRule> parse_assignee_rule(std::string_view text);
// The record capacities a rule may name: the record's owner and its responsible party.
std::vector<std::string_view> template_capacity_names();
// The rule with its arguments: person needs assignee_id, record_party a capacity, the others neither.
// has_pool: the template names candidates (people, groups or roles), which the rule pool needs
// and no other rule takes.
std::optional<Refusal> check_assignee_rule(std::string_view rule, bool has_person,
                                           std::optional<std::string_view> capacity, bool has_pool = false);

// The facts when an action is created from a template: who is acting, whether a record is linked
// and the earliest person holding the rule's capacity on it (nullopt: nobody does).
struct AssigneeFacts {
    AssigneeRule rule = AssigneeRule::none;
    std::optional<std::int64_t> person;  // the template's person
    std::int64_t actor = 0;
    bool has_record = false;
    std::optional<std::int64_t> record_party;
    std::string capacity;
};
// The assignee (nullopt: unassigned), or a refusal: a record_party rule needs a record.
std::variant<std::optional<std::int64_t>, Refusal> choose_assignee(const AssigneeFacts& f);

// Placeholders in a title or description: {name} with a name of this fixed vocabulary; "{{"
// writes a literal "{". An unknown name or a "{" left open is refused when the template is saved.
enum class Placeholder { workspace, record_title, record_kind, due_date, creator, created_on };
inline constexpr std::size_t placeholder_count = 6;
std::string_view placeholder_name(Placeholder p);
// `field` names the text in a refusal ("title", "description").
std::optional<Refusal> check_placeholders(std::string_view field, std::string_view text);

// Whether a (checked) text uses the placeholder, so the glue reads only the values it needs.
bool uses_placeholder(std::string_view text, Placeholder p);

// The values at creation; nullopt where there is none (no record, no due date).
using PlaceholderValues = std::array<std::optional<std::string>, placeholder_count>;
// The text with every placeholder filled, or a refusal naming a placeholder without a value.
std::variant<std::string, Refusal> fill_placeholders(std::string_view field, std::string_view text,
                                                     const PlaceholderValues& values);

}  // namespace pg_actions::core
