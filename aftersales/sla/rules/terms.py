"""The service-level policy file format (TOML), parsed into frozen dataclasses and validated.

A policy says, for one kind of work (executive care's disputes, say), how long each target may
take — acknowledge, first answer, resolution — by priority, on which calendar each is counted
(every hour of every day, or a centre's opening hours on its working days), which states of the
work pause the clocks, and when to escalate to whom (the owner, the team lead, the manager) as a
share of the budget. Like a policy pack it is versioned and effective-dated, and every target
cites the published document and section it keeps to. ``docs/sla.md`` documents the format.

``parse_policy(text)`` returns a ``Policy`` or raises ``PolicyError`` naming the field and the
reason in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass

from aftersales.policy.citations import Citation, CitationError, Document, parse_cites, parse_documents
from aftersales.policy.dates import accepted, out_of_range_words

TARGETS = ("acknowledge", "first-answer", "resolution")
PEOPLE = ("owner", "lead", "manager")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BUDGET = re.compile(r"^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$")
_HOURS = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")


class PolicyError(ValueError):
    def __init__(self, field: str, en: str, zh: str):
        super().__init__(f"{field}: {en}")
        self.field, self.en, self.zh = field, en, zh


@dataclass(frozen=True, slots=True)
class CalendarTerms:
    """``hours`` None: every instant counts. Otherwise opening spans in minutes after local midnight
    on ``open_days`` (Monday 0), public holidays off when ``public_holidays``."""

    id: str
    hours: tuple[tuple[int, int], ...] | None
    open_days: frozenset[int]
    public_holidays: bool

    @property
    def business(self) -> bool:
        return self.hours is not None


@dataclass(frozen=True, slots=True)
class Step:
    at: int  # per cent of the budget
    tell: str  # one of PEOPLE


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    calendar: CalendarTerms
    budgets: dict[str, int]  # priority -> seconds
    clause: str
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    cites: tuple[Citation, ...]
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    title_en: str
    title_zh: str
    published_on: dt.date
    priorities: tuple[str, ...]  # the first is the default
    pause_states: frozenset[str]
    targets: dict[str, Target]
    clauses: dict[str, Clause]
    documents: dict[str, Document]

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def budget(self, target: str, priority: str) -> int:
        return self.targets[target].budgets[priority]


def _fail(path: str, en: str, zh: str):
    raise PolicyError(path, en, zh)


def _text(table: dict, key: str, path: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{path}.{key}", "must be a non-empty text", "必须是非空文本")
    return value.strip()


def _date(table: dict, key: str, path: str, *, required: bool = True) -> dt.date | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        _fail(f"{path}.{key}", "must be a date written as YYYY-MM-DD (no quotes, no time)",
              "必须是 YYYY-MM-DD 格式的日期（不加引号、不含时间）")
    if not accepted(value):
        _fail(f"{path}.{key}", *out_of_range_words(value, "the date", "日期"))
    return value


def _words(table: dict, key: str, path: str) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(f"{path}.{key}", "must be a non-empty list of words", "必须是非空的词语列表")
    if len(set(value)) != len(value):
        _fail(f"{path}.{key}", "names the same word twice", "有重复的词语")
    return tuple(v.strip() for v in value)


def budget_seconds(value, path: str, *, business: bool) -> int:
    """"7d", "16h", "1h30m": days of 24 hours, hours and minutes of counted time."""
    match = _BUDGET.match(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        _fail(path, 'must be a length such as "7d", "16h" or "1h30m"', "必须是时长，例如“7d”“16h”或“1h30m”")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    if business and days:
        _fail(path, "on opening hours, give hours and minutes of opening time, not days",
              "按营业时间计时，请用营业时间的小时和分钟表示，不要用天")
    seconds = ((days * 24 + hours) * 60 + minutes) * 60
    if not 0 < seconds <= 366 * 86400:
        _fail(path, "must be above zero and at most a year", "必须大于零且不超过一年")
    return seconds


def _hours(value, path: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list) or not value:
        _fail(path, 'must list opening hours such as ["09:00-12:00", "13:00-18:00"]',
              "必须列出营业时间，例如 [\"09:00-12:00\", \"13:00-18:00\"]")
    spans = []
    for item in value:
        match = _HOURS.match(item) if isinstance(item, str) else None
        a = int(match[1]) * 60 + int(match[2]) if match else -1
        b = int(match[3]) * 60 + int(match[4]) if match else -1
        if not match or int(match[2]) > 59 or int(match[4]) > 59 or not 0 <= a < b <= 1440:
            _fail(path, f"{item!r} is not opening hours from HH:MM to a later HH:MM (24:00 at most)",
                  f"{item!r} 不是“HH:MM-HH:MM”格式、且结束晚于开始的营业时间（最晚 24:00）")
        spans.append((a, b))
    spans.sort()
    if any(x[1] > y[0] for x, y in zip(spans, spans[1:])):
        _fail(path, "two opening spans overlap", "营业时段有重叠")
    return tuple(spans)


def _calendars(data) -> dict[str, CalendarTerms]:
    if not isinstance(data, dict) or not data:
        _fail("calendars", "must define at least one calendar", "至少要定义一个日历")
    out = {}
    for cid, body in data.items():
        path = f"calendars.{cid}"
        if not isinstance(body, dict):
            _fail(path, "must be a table", "必须是一个表（table）")
        kind = body.get("kind")
        if kind == "calendar-days":
            out[cid] = CalendarTerms(cid, None, frozenset(range(7)), False)
            continue
        if kind != "business-hours":
            _fail(f"{path}.kind", 'must be "calendar-days" or "business-hours"', "必须是“calendar-days”或“business-hours”")
        days = _words(body, "open_days", path)
        if any(d not in WEEKDAYS for d in days):
            _fail(f"{path}.open_days", f"must name days from {', '.join(WEEKDAYS)}", f"必须从 {', '.join(WEEKDAYS)} 中选择")
        holidays = body.get("public_holidays", True)
        if not isinstance(holidays, bool):
            _fail(f"{path}.public_holidays", "must be true or false", "必须为 true 或 false")
        out[cid] = CalendarTerms(cid, _hours(body.get("hours"), f"{path}.hours"),
                                 frozenset(WEEKDAYS.index(d) for d in days), holidays)
    return out


def _steps(items, path: str) -> tuple[Step, ...]:
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        _fail(path, "must list the escalation steps ([[escalation]] tables)", "必须列出升级步骤（[[escalation]] 表）")
    steps = []
    for i, item in enumerate(items):
        at, tell = item.get("at"), item.get("tell")
        if type(at) is not int or not 1 <= at <= 500:
            _fail(f"{path}[{i}].at", "must be a share of the budget in per cent, from 1 to 500", "必须是时限的百分比，1 到 500")
        if tell not in PEOPLE:
            _fail(f"{path}[{i}].tell", f"must be one of {', '.join(PEOPLE)}", f"必须是 {', '.join(PEOPLE)} 之一")
        steps.append(Step(at, tell))
    if any(a.at >= b.at for a, b in zip(steps, steps[1:])):
        _fail(path, "the steps must come at rising shares of the budget", "各步骤的百分比必须逐步递增")
    return tuple(steps)


def _clauses(data, documents: dict[str, Document]) -> dict[str, Clause]:
    if not isinstance(data, dict) or not data:
        _fail("clauses", "must define at least one clause", "至少要定义一条条款")
    out = {}
    for cid, body in data.items():
        path = f"clauses.{cid}"
        if not isinstance(body, dict):
            _fail(path, "must be a table", "必须是一个表（table）")
        out[cid] = Clause(cid, parse_cites(body.get("cites"), f"{path}.cites", documents),
                          _text(body, "en", path), _text(body, "zh", path))
    return out


def _target(name: str, body, calendars, clauses, priorities, default_steps) -> Target:
    path = f"targets.{name}"
    if name not in TARGETS:
        _fail(path, f"unknown target; use one of {', '.join(TARGETS)}", f"未知的目标；可用：{', '.join(TARGETS)}")
    if not isinstance(body, dict):
        _fail(path, "must be a table", "必须是一个表（table）")
    calendar = calendars.get(body.get("calendar"))
    if calendar is None:
        _fail(f"{path}.calendar", "must name a calendar the policy defines", "必须引用本政策定义的日历")
    raw = body.get("budget")
    raw = {p: raw for p in priorities} if isinstance(raw, str) else raw
    if not isinstance(raw, dict) or set(raw) != set(priorities):
        _fail(f"{path}.budget", "must be one length, or a table giving one for each priority",
              "必须是一个时长，或为每个优先级各给一个时长的表")
    budgets = {p: budget_seconds(v, f"{path}.budget.{p}", business=calendar.business) for p, v in raw.items()}
    clause = body.get("clause")
    if clause not in clauses:
        _fail(f"{path}.clause", "must name a clause the policy defines", "必须引用本政策定义的条款")
    steps = _steps(body["escalation"], f"{path}.escalation") if "escalation" in body else default_steps
    return Target(name, calendar, budgets, clause, steps)


def parse_policy(text: str) -> Policy:
    """The policy a file's text gives, checked whole; PolicyError names the first thing wrong."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("file", f"not valid TOML: {exc}", f"不是有效的 TOML 文件：{exc}") from exc
    try:
        return _policy(data)
    except CitationError as exc:
        raise PolicyError(exc.field, exc.en, exc.zh) from exc
    except (TypeError, AttributeError, KeyError) as exc:
        raise PolicyError("file", "holds a value of the wrong kind (a list or table where a word or number belongs, "
                          "or the other way round)", "含有类型不符的值（应为文字或数字处给了列表或表，或反之）") from exc


def _policy(data: dict) -> Policy:
    head = data.get("policy")
    if not isinstance(head, dict):
        _fail("policy", "is required: a [policy] table", "缺少 [policy] 表")
    effective_from = _date(head, "effective_from", "policy")
    effective_to = _date(head, "effective_to", "policy", required=False)
    if effective_to and effective_to < effective_from:
        _fail("policy.effective_to", "is before effective_from", "早于 effective_from")
    documents = parse_documents(data.get("documents"))
    clauses = _clauses(data.get("clauses"), documents)
    calendars = _calendars(data.get("calendars"))
    priorities = _words(head, "priorities", "policy")
    pause_states = frozenset(_words(head, "pause_states", "policy")) if "pause_states" in head else frozenset()
    default_steps = _steps(data["escalation"], "escalation") if "escalation" in data else ()
    targets_data = data.get("targets")
    if not isinstance(targets_data, dict) or not targets_data:
        _fail("targets", "must define at least one target", "至少要定义一个目标")
    targets = {name: _target(name, body, calendars, clauses, priorities, default_steps)
               for name, body in targets_data.items()}
    return Policy(id=_text(head, "id", "policy"), version=_text(head, "version", "policy"),
                  effective_from=effective_from, effective_to=effective_to,
                  title_en=_text(head, "title_en", "policy"), title_zh=_text(head, "title_zh", "policy"),
                  published_on=_date(head, "published_on", "policy"), priorities=priorities,
                  pause_states=pause_states, targets=targets, clauses=clauses, documents=documents)
