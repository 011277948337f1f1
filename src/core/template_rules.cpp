// Template rules: names, due rules, assignee rules and placeholders (see template_rules.hpp).
#include "template_rules.hpp"

#include "calendar.hpp"

#include "catalog.hpp"
#include "input.hpp"

namespace pg_actions::core {

namespace {

Refusal invalid(std::string message, std::string detail, std::string hint) {
    return Refusal{RefusalKind::invalid_value, std::move(message), std::move(detail), std::move(hint)};
}

template <typename E, std::size_t N>
std::optional<E> parse(std::string_view text, std::string_view (*name)(E)) {
    for (std::size_t i = 0; i < N; i++)
        if (name(static_cast<E>(i)) == text) return static_cast<E>(i);
    return std::nullopt;
}

std::string braced(std::string_view name) {
    std::string out;
    out.reserve(name.size() + 2);
    out += '{';
    out += name;
    out += '}';
    return out;
}

std::string braced_list() {
    std::vector<std::string> names;
    for (std::string_view n : placeholder_names()) names.push_back(braced(n));
    std::vector<std::string_view> views(names.begin(), names.end());
    return listed(views);
}

// Walks a text: literal pieces go to `literal`, each placeholder name to `placeholder`; a "{"
// without its "}" is a refusal.
template <typename L, typename P>
std::optional<Refusal> walk(std::string_view field, std::string_view text, L literal, P placeholder) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t open = text.find('{', i);
        if (open == std::string_view::npos) {
            literal(text.substr(i));
            break;
        }
        literal(text.substr(i, open - i));
        if (open + 1 < text.size() && text[open + 1] == '{') {
            literal("{");
            i = open + 2;
            continue;
        }
        std::size_t close = text.find('}', open);
        if (close == std::string_view::npos)
            return invalid("the " + std::string{field} + " has a \"{\" that is not closed",
                           "a placeholder is a name between braces, such as {record_title}",
                           "close the placeholder, or write \"{{\" for a literal \"{\"");
        if (auto r = placeholder(text.substr(open + 1, close - open - 1))) return r;
        i = close + 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<Refusal> check_template_live(std::int64_t template_id, bool retired, bool editing) {
    if (!retired) return std::nullopt;
    std::string message = "template " + std::to_string(template_id) + " is retired";
    if (editing) return Refusal{RefusalKind::wrong_state, message, "a retired template is kept as it was", "create a new template"};
    return Refusal{RefusalKind::wrong_state, message, "a retired template makes no new actions", "use another template"};
}

std::optional<Refusal> check_template_name(std::optional<std::string_view> name) {
    if (!name || name->find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
        return invalid("a template needs a name", "the name is how people pick the template",
                       "pass name => 'Annual attestation'");
    if (utf8_length(*name) > max_template_name_chars)
        return invalid("template name is too long",
                       "the name has " + std::to_string(utf8_length(*name)) + " characters; the limit is " +
                           std::to_string(max_template_name_chars),
                       "shorten the name");
    return std::nullopt;
}

std::string_view due_unit_name(DueUnit u) {
    switch (u) {
    case DueUnit::calendar_days: return "calendar_days";
    case DueUnit::working_days: return "working_days";
    }
    return "";
}

std::optional<DueUnit> parse_due_unit(std::string_view text) {
    return parse<DueUnit, due_unit_count>(text, due_unit_name);
}

std::optional<Refusal> check_due_rule(std::optional<std::int64_t> due_in, std::string_view unit) {
    if (!parse_due_unit(unit))
        return invalid("unknown due unit \"" + std::string{unit} + "\"",
                       "a due rule counts " + listed(due_unit_names()),
                       "pass due_unit => 'calendar_days' or 'working_days' (the workspace's business calendar)");
    if (!due_in) return std::nullopt;
    if (*due_in < 0)
        return invalid("due_in must not be negative",
                       "a template's due rule counts days after the action is created; " + std::to_string(*due_in) +
                           " would be due before it exists",
                       "pass due_in => 0 for the same day, a positive number, or NULL for no due date");
    if (*due_in > max_due_in)
        return invalid("due_in is too large",
                       "the limit is " + std::to_string(max_due_in) + " days",
                       "pass a smaller number of days, or NULL for no due date");
    return std::nullopt;
}

Refusal no_calendar_for_working_days(std::string_view what) {
    return Refusal{RefusalKind::wrong_state, std::string{what} + " counts working days but the workspace has no business calendar",
                   "working days are the working days of the workspace's calendar",
                   "give the workspace a calendar with actions.use_calendar(workspace_id, calendar_id), or count calendar_days"};
}

std::variant<std::int64_t, Refusal> rule_due_day(DueUnit unit, std::int64_t today, std::int64_t n,
                                                 const Calendar* calendar) {
    if (unit == DueUnit::calendar_days) return today + n;
    if (!calendar) return no_calendar_for_working_days("the due rule");
    if (n == 0) return today;
    auto day = calendar->nth_working_day(today, n);
    if (!day) return out_of_range();
    return *day;
}

std::string_view assignee_rule_name(AssigneeRule r) {
    switch (r) {
    case AssigneeRule::none: return "none";
    case AssigneeRule::person: return "person";
    case AssigneeRule::creator: return "creator";
    case AssigneeRule::record_party: return "record_party";
    case AssigneeRule::pool: return "pool";
    }
    return "";
}

std::optional<AssigneeRule> parse_assignee_rule(std::string_view text) {
    return parse<AssigneeRule, assignee_rule_count>(text, assignee_rule_name);
}

std::vector<std::string_view> template_capacity_names() {
    return {capacity_name(Capacity::owner), capacity_name(Capacity::responsible)};
}

std::optional<Refusal> check_assignee_rule(std::string_view rule, bool has_person,
                                           std::optional<std::string_view> capacity, bool has_pool) {
    std::optional<AssigneeRule> r = parse_assignee_rule(rule);
    if (!r)
        return invalid("unknown assignee rule \"" + std::string{rule} + "\"",
                       "the assignee rule is one of " + listed(assignee_rule_names()),
                       "pass assignee_rule => 'creator', or 'person' with assignee_id");
    if (*r == AssigneeRule::person && !has_person)
        return invalid("assignee rule person needs assignee_id", "the rule names the person who gets the action",
                       "pass assignee_id => the person's id");
    if (*r != AssigneeRule::person && has_person)
        return invalid("assignee_id is only for the assignee rule person",
                       "the rule " + std::string{rule} + " decides the assignee itself",
                       "pass assignee_rule => 'person', or leave assignee_id out");
    if (*r == AssigneeRule::pool && !has_pool)
        return invalid("assignee rule pool needs candidates", "the rule offers the action to a pool of candidates",
                       "name them with actions.set_template_pool(template_id, people, groups, roles)");
    if (*r != AssigneeRule::pool && has_pool)
        return invalid("candidates are only for the assignee rule pool",
                       "the rule " + std::string{rule} + " decides the assignee itself",
                       "name the candidates with actions.set_template_pool(), which sets the rule pool");
    if (*r == AssigneeRule::record_party) {
        const std::vector<std::string_view> allowed = template_capacity_names();
        bool known = false;
        for (std::string_view c : allowed) known = known || (capacity && *capacity == c);
        if (!known)
            return invalid(capacity ? "capacity \"" + std::string{*capacity} + "\" cannot assign an action"
                                    : std::string{"assignee rule record_party needs a capacity"},
                           "the rule assigns the person holding " + listed(allowed) + " on the linked record",
                           "pass assignee_capacity => 'owner' or 'responsible'");
    } else if (capacity) {
        return invalid("assignee_capacity is only for the assignee rule record_party",
                       "the rule " + std::string{rule} + " does not look at the record",
                       "pass assignee_rule => 'record_party', or leave assignee_capacity out");
    }
    return std::nullopt;
}

std::variant<std::optional<std::int64_t>, Refusal> choose_assignee(const AssigneeFacts& f) {
    switch (f.rule) {
    case AssigneeRule::none: return std::optional<std::int64_t>{};
    case AssigneeRule::person: return f.person;
    case AssigneeRule::creator: return std::optional<std::int64_t>{f.actor};
    case AssigneeRule::record_party:
        if (!f.has_record)
            return invalid("the template assigns the record's " + f.capacity + ", and no record was given",
                           "its assignee rule is record_party with capacity " + f.capacity,
                           "pass record_id, or name the assignee with assignee_id");
        return f.record_party;
    // Unassigned: the glue offers it to the template's pool.
    case AssigneeRule::pool: return std::optional<std::int64_t>{};
    }
    return std::optional<std::int64_t>{};
}

std::string_view placeholder_name(Placeholder p) {
    switch (p) {
    case Placeholder::workspace: return "workspace";
    case Placeholder::record_title: return "record_title";
    case Placeholder::record_kind: return "record_kind";
    case Placeholder::due_date: return "due_date";
    case Placeholder::creator: return "creator";
    case Placeholder::created_on: return "created_on";
    }
    return "";
}

std::optional<Refusal> check_placeholders(std::string_view field, std::string_view text) {
    return walk(
        field, text, [](std::string_view) {},
        [&](std::string_view name) -> std::optional<Refusal> {
            if (parse<Placeholder, placeholder_count>(name, placeholder_name)) return std::nullopt;
            return invalid("unknown placeholder " + braced(name) + " in the " + std::string{field},
                           "the placeholders are " + braced_list(),
                           "use one of them, or write \"{{\" for a literal \"{\"");
        });
}

bool uses_placeholder(std::string_view text, Placeholder p) {
    bool used = false;
    walk("text", text, [](std::string_view) {}, [&](std::string_view name) -> std::optional<Refusal> {
        used = used || name == placeholder_name(p);
        return std::nullopt;
    });
    return used;
}

std::variant<std::string, Refusal> fill_placeholders(std::string_view field, std::string_view text,
                                                     const PlaceholderValues& values) {
    std::string out;
    std::optional<Refusal> r = walk(
        field, text, [&](std::string_view piece) { out += piece; },
        [&](std::string_view name) -> std::optional<Refusal> {
            std::optional<Placeholder> p = parse<Placeholder, placeholder_count>(name, placeholder_name);
            if (!p) return check_placeholders(field, braced(name));
            const std::optional<std::string>& value = values[static_cast<std::size_t>(*p)];
            if (!value) {
                const bool record = *p == Placeholder::record_title || *p == Placeholder::record_kind;
                return invalid("the template's " + std::string{field} + " uses " + braced(name) +
                                   ", which has no value here",
                               record ? "no record was given" : "the action has no due date",
                               record ? "pass record_id" : "pass due_at or due_on, or give the template a due rule");
            }
            out += *value;
            return std::nullopt;
        });
    if (r) return *r;
    return out;
}

}  // namespace pg_actions::core
