"""The policy-pack file format (TOML), parsed into frozen dataclasses and validated.

A pack is the whole of one published warranty policy: which product lines and regions it
governs, from which day, the coverage periods per part for each manufacture-date window, the
on-site periods, the battery registration extension, the post-repair rule, the region rule,
the LCD pixel tolerance, and the exclusion clauses, each clause with a short text in English
and Chinese and the published document and section it comes from (``citations``).
``docs/policy-packs.md`` documents the format.

``parse_pack(text)`` either returns a ``Pack`` or raises ``PackError`` naming the field and the
reason in both languages; it never returns half a pack.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

from aftersales.core.money import CURRENCIES
from aftersales.policy.citations import (Citation, CitationError, Document, citations_text, parse_cites,
                                         parse_documents)
from aftersales.policy.dates import accepted, out_of_range_words
from aftersales.policy.fees import FeeSchedule, ScheduleError, amount, parse_schedule
from aftersales.policy.self_repair import SelfRepairTerms, parse_self_repair
from aftersales.policy.visits import VipTerms, VisitTerms, parse_vip, parse_visits
from aftersales.policy.vocabulary import EXCLUSION_CODES, GROUPS, PARTS, PRODUCT_LINES, REGIONS


class PackError(ValueError):
    def __init__(self, field: str, en: str, zh: str):
        super().__init__(f"{field}: {en}")
        self.field = field
        self.en = en
        self.zh = zh


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    cites: tuple[Citation, ...]
    en: str
    zh: str

    def source(self, zh: bool) -> str:
        """Where the clause comes from, as a person reads it: 'title (date), section'."""
        return citations_text(self.cites, zh)


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    months: int
    parts: frozenset[str]


@dataclass(frozen=True, slots=True)
class Window:
    """Periods for devices manufactured in [made_from, made_to] (either end open)."""

    made_from: dt.date | None
    made_to: dt.date | None
    clause: str
    groups: tuple[Group, ...]
    by_part: dict[str, Group] = field(hash=False, compare=False)

    def covers(self, made_on: dt.date) -> bool:
        return (self.made_from is None or made_on >= self.made_from) and (
            self.made_to is None or made_on <= self.made_to)


@dataclass(frozen=True, slots=True)
class Battery:
    months: int
    registered_months: int
    registration_window_months: int
    clause: str


@dataclass(frozen=True, slots=True)
class Line:
    id: str
    hotline: str
    coverage: tuple[Window, ...]
    onsite: tuple[Window, ...]
    onsite_start_without_invoice: str  # "manufacture" or "shipped"
    battery: Battery | None
    # code -> clause id: the line's own list, and, for a line that takes them, the pack's general
    # exclusions for the codes its own list does not name (``own_exclusions`` is the list alone)
    exclusions: dict[str, str]
    not_covered: dict[str, str]  # part -> clause id explaining why the line's terms leave it out
    lcd: bool
    own_exclusions: dict[str, str]

    def window(self, windows: tuple[Window, ...], made_on: dt.date) -> Window | None:
        return next((w for w in windows if w.covers(made_on)), None)


@dataclass(frozen=True, slots=True)
class Lcd:
    bright_max: int
    dark_max: int
    min_distance_cm: int
    temperature_c: tuple[int, int]
    lux: tuple[int, int]
    clause: str


@dataclass(frozen=True, slots=True)
class Storage:
    """Keeping a device nobody collects (seed 002 §10): free for ``keep_days`` after the first
    "please collect" notice; then a second notice, and storage fees of ``daily_fee`` a day; after
    ``review_after_days`` more days the case goes to disposal review."""

    keep_days: int
    daily_fee: Decimal
    review_after_days: int
    clause: str


@dataclass(frozen=True, slots=True)
class Symptom:
    """A symptom a customer can name, and the parts likely behind it, most likely first."""

    key: str
    parts: tuple[str, ...]
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    title_en: str
    title_zh: str
    published_on: dt.date
    documents: dict[str, Document]
    regions: frozenset[str]
    currencies: dict[str, str]
    timezone: str
    start_clause: str
    post_repair_months: int
    post_repair_clause: str
    service_areas: tuple[frozenset[str], ...]
    region_clause: str
    lcd: Lcd | None
    general_exclusions: dict[str, str]  # code -> clause id, for lines that take the general terms
    clauses: dict[str, Clause]
    lines: dict[str, Line]
    symptoms: dict[str, Symptom]
    fees: FeeSchedule | None = None
    storage: Storage | None = None
    visits: VisitTerms | None = None
    vip: VipTerms | None = None
    self_repair: SelfRepairTerms | None = None

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    def name(self, zh: bool) -> str:
        """The policy as a person reads it: its title and the date this version was published."""
        day = self.published_on.isoformat()
        return f"{self.title_zh}（{day}）" if zh else f"{self.title_en} ({day})"

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def currency_for(self, region: str) -> str:
        return self.currencies[region]

    def area_of(self, region: str) -> frozenset[str]:
        for area in self.service_areas:
            if region in area:
                return area
        return frozenset({region})


# --- parsing -------------------------------------------------------------------------------

def _fail(path: str, en: str, zh: str):
    raise PackError(path, en, zh)


def _table(data, path: str) -> dict:
    if not isinstance(data, dict):
        _fail(path, "must be a table", "必须是一个表（table）")
    return data


def _req(table: dict, key: str, path: str):
    if key not in table:
        _fail(f"{path}.{key}", "is required but missing", "缺少必填项")
    return table[key]


def _str(table: dict, key: str, path: str, *, required: bool = True, default: str = "") -> str:
    if key not in table and not required:
        return default
    value = _req(table, key, path)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{path}.{key}", "must be a non-empty text", "必须是非空文本")
    return value.strip()


def _int(table: dict, key: str, path: str, *, low: int = 0, high: int = 240) -> int:
    value = _req(table, key, path)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(f"{path}.{key}", f"must be a whole number from {low} to {high}",
              f"必须是 {low} 到 {high} 之间的整数")
    return value


def _date(table: dict, key: str, path: str, *, required: bool = True) -> dt.date | None:
    if key not in table and not required:
        return None
    value = _req(table, key, path)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        _fail(f"{path}.{key}", "must be a date written as YYYY-MM-DD (no quotes, no time)",
              "必须是 YYYY-MM-DD 格式的日期（不加引号、不含时间）")
    if not accepted(value):
        _fail(f"{path}.{key}", *out_of_range_words(value, "the date", "日期"))
    return value


def _range(table: dict, key: str, path: str) -> tuple[int, int]:
    value = _req(table, key, path)
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or value[0] > value[1]):
        _fail(f"{path}.{key}", "must be [low, high] with low <= high", "必须写成 [下限, 上限]，且下限不大于上限")
    return value[0], value[1]


def _clause_ref(table: dict, key: str, path: str, clauses: dict[str, Clause]) -> str:
    ref = _str(table, key, path)
    if ref not in clauses:
        _fail(f"{path}.{key}", f"names clause {ref!r}, which the pack does not define",
              f"引用的条款 {ref!r} 未在本政策包中定义")
    return ref


def _clauses(data: dict, documents: dict[str, Document]) -> dict[str, Clause]:
    out = {}
    for cid, body in _table(_req(data, "clauses", "pack"), "clauses").items():
        path = f"clauses.{cid}"
        body = _table(body, path)
        cites = parse_cites(_req(body, "cites", path), f"{path}.cites", documents)
        out[cid] = Clause(cid, cites, _str(body, "en", path), _str(body, "zh", path))
    if not out:
        _fail("clauses", "must define at least one clause", "至少要定义一条条款")
    return out


def _windows(items, path: str, clauses: dict[str, Clause], *, allow_empty: bool) -> tuple[Window, ...]:
    if items is None and allow_empty:
        return ()
    if not isinstance(items, list) or (not items and not allow_empty):
        _fail(path, "must be a list of windows ([[...]] tables)", "必须是时间窗口列表（[[...]] 表）")
    windows = []
    for i, body in enumerate(items):
        wpath = f"{path}[{i}]"
        body = _table(body, wpath)
        made_from = _date(body, "made_from", wpath, required=False)
        made_to = _date(body, "made_to", wpath, required=False)
        if made_from and made_to and made_from > made_to:
            _fail(f"{wpath}.made_to", "is before made_from", "早于 made_from")
        groups, by_part = [], {}
        for gname, gbody in _table(_req(body, "groups", wpath), f"{wpath}.groups").items():
            gpath = f"{wpath}.groups.{gname}"
            if gname not in GROUPS:
                _fail(gpath, f"unknown coverage group; use one of {', '.join(GROUPS)}",
                      f"未知的保修分组；可用：{', '.join(GROUPS)}")
            gbody = _table(gbody, gpath)
            parts = _req(gbody, "parts", gpath)
            if not isinstance(parts, list) or not parts:
                _fail(f"{gpath}.parts", "must be a non-empty list of parts", "必须是非空的部件列表")
            for part in parts:
                if part not in PARTS:
                    _fail(f"{gpath}.parts", f"unknown part {part!r}", f"未知部件 {part!r}")
                if part in by_part:
                    _fail(f"{gpath}.parts", f"part {part!r} is already in group {by_part[part].name!r}",
                          f"部件 {part!r} 已属于分组 {by_part[part].name!r}")
            group = Group(gname, _int(gbody, "months", gpath), frozenset(parts))
            groups.append(group)
            by_part.update({p: group for p in parts})
        windows.append(Window(made_from, made_to, _clause_ref(body, "clause", wpath, clauses),
                              tuple(groups), by_part))
    for i, a in enumerate(windows):
        for b in windows[i + 1:]:
            lo = max(a.made_from or dt.date.min, b.made_from or dt.date.min)
            hi = min(a.made_to or dt.date.max, b.made_to or dt.date.max)
            if lo <= hi:
                _fail(path, f"two windows both cover manufacture date {lo.isoformat()}",
                      f"有两个时间窗口同时覆盖生产日期 {lo.isoformat()}")
    return tuple(windows)


def _exclusions(table, path: str, clauses: dict[str, Clause]) -> dict[str, str]:
    out = {}
    for code, ref in _table(table, path).items():
        if code not in EXCLUSION_CODES:
            _fail(f"{path}.{code}", "unknown exclusion code", "未知的除外条款代码")
        if ref not in clauses:
            _fail(f"{path}.{code}", f"names clause {ref!r}, which the pack does not define",
                  f"引用的条款 {ref!r} 未在本政策包中定义")
        out[code] = ref
    return out


def _line(lid: str, body, clauses: dict[str, Clause], has_lcd_rule: bool, general: dict[str, str]) -> Line:
    path = f"lines.{lid}"
    if lid not in PRODUCT_LINES:
        _fail(path, f"unknown product line; use one of {', '.join(PRODUCT_LINES)}",
              f"未知产品线；可用：{', '.join(PRODUCT_LINES)}")
    body = _table(body, path)
    coverage = _windows(_req(body, "coverage", path), f"{path}.coverage", clauses, allow_empty=False)
    onsite = _windows(body.get("onsite"), f"{path}.onsite", clauses, allow_empty=True)
    start = body.get("onsite_start_without_invoice", "manufacture")
    if start not in ("manufacture", "shipped"):
        _fail(f"{path}.onsite_start_without_invoice", "must be 'manufacture' or 'shipped'",
              "必须是 'manufacture' 或 'shipped'")
    battery = None
    if "battery" in body:
        bpath = f"{path}.battery"
        b = _table(body["battery"], bpath)
        battery = Battery(_int(b, "months", bpath), _int(b, "registered_months", bpath),
                          _int(b, "registration_window_months", bpath, low=1),
                          _clause_ref(b, "clause", bpath, clauses))
    own = _exclusions(_req(body, "exclusions", path), f"{path}.exclusions", clauses)
    not_covered = {}
    for part, ref in _table(body.get("not_covered", {}), f"{path}.not_covered").items():
        if part not in PARTS or ref not in clauses:
            _fail(f"{path}.not_covered.{part}", "must map a known part to a defined clause",
                  "必须把已知部件映射到已定义的条款")
        not_covered[part] = ref
    lcd = bool(body.get("lcd", False))
    if lcd and not has_lcd_rule:
        _fail(f"{path}.lcd", "the line uses the LCD rule but [rules.lcd] is missing",
              "该产品线使用液晶屏亮暗点规则，但缺少 [rules.lcd]")
    return Line(lid, _str(body, "hotline", path), coverage, onsite, start, battery,
                _with_general(own, body, path, general), not_covered, lcd, own)


def _with_general(own: dict[str, str], body: dict, path: str, general: dict[str, str]) -> dict[str, str]:
    """A line's exclusions: its own list, then, when it takes the general terms
    (``general_exclusions = true``), the general exclusions for the codes its own list leaves out."""
    takes_general = body.get("general_exclusions", False)
    if not isinstance(takes_general, bool) or takes_general and not general:
        _fail(f"{path}.general_exclusions", "must be true or false, and true only when [rules] has "
              "general_exclusions", "必须为 true 或 false；仅当 [rules] 定义了 general_exclusions 时才可为 true")
    if not takes_general:
        return own
    return {**own, **{code: ref for code, ref in general.items() if code not in own}}


def parse_pack(text: str) -> Pack:
    """The pack a file's text gives, checked whole; PackError names the first thing wrong."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # a byte-order mark some editors write first
    except tomllib.TOMLDecodeError as exc:
        raise PackError("file", f"not valid TOML: {exc}", f"不是有效的 TOML 文件：{exc}") from exc
    try:
        return _pack(data)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if isinstance(exc, PackError):
            raise
        # a value of a kind no check above foresaw (a table where a word belongs, ...): refused, not a crash
        raise PackError("file", "holds a value of the wrong kind (a list or table where a word or number belongs, "
                        "or the other way round)", "含有类型不符的值（应为文字或数字处给了列表或表，或反之）") from exc


@dataclass(frozen=True, slots=True)
class _Head:
    regions: list[str]
    currencies: dict[str, str]
    effective_from: dt.date
    effective_to: dt.date | None
    timezone: str


def _head(head: dict) -> _Head:
    """``[pack]``: the regions, their currencies, the effective dates and the time zone."""
    regions = _req(head, "regions", "pack")
    if not isinstance(regions, list) or not regions or any(not isinstance(r, str) or r not in REGIONS for r in regions):
        _fail("pack.regions", f"must list region codes from {', '.join(REGIONS)}",
              f"必须列出地区代码：{', '.join(REGIONS)}")
    currency = _req(head, "currency", "pack")
    currencies = ({r: currency for r in regions} if isinstance(currency, str)
                  else dict(currency) if isinstance(currency, dict) else {})
    if set(currencies) != set(regions) or any(c not in CURRENCIES for c in currencies.values()):
        _fail("pack.currency", "must be CNY, USD or CAD, or a table giving one of them for each region",
              "必须是 CNY、USD 或 CAD，或为每个地区各指定其中之一的表")
    effective_from = _date(head, "effective_from", "pack")
    effective_to = _date(head, "effective_to", "pack", required=False)
    if effective_to and effective_to < effective_from:
        _fail("pack.effective_to", "is before effective_from", "早于 effective_from")
    timezone = _str(head, "timezone", "pack")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(timezone)
    except Exception:
        _fail("pack.timezone", f"unknown time zone {timezone!r}", f"未知时区 {timezone!r}")
    return _Head(regions, currencies, effective_from, effective_to, timezone)


def _areas(region_rule: dict) -> list:
    areas = region_rule.get("areas", [])
    seen: set[str] = set()
    for area in areas:
        if not isinstance(area, list) or any(r not in REGIONS for r in area) or seen & set(area):
            _fail("rules.region.areas", "must be lists of region codes, each region in one area only",
                  "必须是地区代码列表，每个地区只能属于一个服务区域")
        seen |= set(area)
    return areas


def _lcd(rules: dict, clauses: dict[str, Clause]) -> Lcd | None:
    if "lcd" not in rules:
        return None
    lt = _table(rules["lcd"], "rules.lcd")
    return Lcd(_int(lt, "bright_max", "rules.lcd"), _int(lt, "dark_max", "rules.lcd"),
               _int(lt, "min_distance_cm", "rules.lcd", high=1000),
               _range(lt, "temperature_c", "rules.lcd"), _range(lt, "lux", "rules.lcd", ),
               _clause_ref(lt, "clause", "rules.lcd", clauses))


def _symptoms(data: dict) -> dict[str, Symptom]:
    symptoms = {}
    for key, body in _table(data.get("symptoms", {}), "symptoms").items():
        spath = f"symptoms.{key}"
        body = _table(body, spath)
        parts = _req(body, "parts", spath)
        if not isinstance(parts, list) or not parts or any(p not in PARTS for p in parts):
            _fail(f"{spath}.parts", "must be a non-empty list of known parts", "必须是非空的已知部件列表")
        symptoms[key] = Symptom(key, tuple(parts), _str(body, "en", spath), _str(body, "zh", spath))
    return symptoms


def _storage(data: dict, clauses: dict[str, Clause]) -> Storage | None:
    if "storage" not in data:
        return None
    st = _table(data["storage"], "storage")
    try:
        daily_fee = amount(_req(st, "daily_fee", "storage"), "storage.daily_fee")
    except ScheduleError as exc:
        _fail(exc.field, exc.en, exc.zh)
    return Storage(_int(st, "keep_days", "storage", low=1, high=3650), daily_fee,
                   _int(st, "review_after_days", "storage", low=0, high=3650),
                   _clause_ref(st, "clause", "storage", clauses))


def _money_terms(data: dict, clauses: dict[str, Clause], currencies: dict[str, str], lines: dict):
    """The fee schedule, the visit terms and the VIP list, each when the pack has it."""
    try:
        fees = parse_schedule(data["fees"], clauses, currencies) if "fees" in data else None
        visits = parse_visits(data["visits"], clauses, currencies) if "visits" in data else None
        vip = parse_vip(data["vip"], clauses, set(lines)) if "vip" in data else None
    except ScheduleError as exc:
        _fail(exc.field, exc.en, exc.zh)
    return fees, visits, vip


def _self_repair(data: dict, clauses: dict[str, Clause], regions: list[str], lines: dict) -> SelfRepairTerms | None:
    if "self_repair" not in data:
        return None
    try:
        return parse_self_repair(data["self_repair"], clauses, frozenset(regions), set(lines))
    except ScheduleError as exc:
        _fail(exc.field, exc.en, exc.zh)


def _pack(data: dict) -> Pack:
    head = _table(_req(data, "pack", "file"), "pack")
    try:
        documents = parse_documents(_req(data, "documents", "file"))
        clauses = _clauses(data, documents)
    except CitationError as exc:
        _fail(exc.field, exc.en, exc.zh)
    rules = _table(_req(data, "rules", "file"), "rules")
    h = _head(head)
    post = _table(_req(rules, "post_repair", "rules"), "rules.post_repair")
    region_rule = _table(_req(rules, "region", "rules"), "rules.region")
    areas = _areas(region_rule)
    lcd = _lcd(rules, clauses)
    lines_data = _table(_req(data, "lines", "file"), "lines")
    if not lines_data:
        _fail("lines", "must define at least one product line", "至少要定义一个产品线")
    general = _exclusions(rules.get("general_exclusions", {}), "rules.general_exclusions", clauses)
    lines = {lid: _line(lid, body, clauses, lcd is not None, general) for lid, body in lines_data.items()}
    fees, visits, vip = _money_terms(data, clauses, h.currencies, lines)
    return Pack(
        fees=fees, storage=_storage(data, clauses), visits=visits, vip=vip,
        self_repair=_self_repair(data, clauses, h.regions, lines),
        id=_str(head, "id", "pack"), version=_str(head, "version", "pack"),
        effective_from=h.effective_from, effective_to=h.effective_to,
        title_en=_str(head, "title_en", "pack"), title_zh=_str(head, "title_zh", "pack"),
        published_on=_date(head, "published_on", "pack"), documents=documents, regions=frozenset(h.regions), currencies=h.currencies,
        timezone=h.timezone, start_clause=_clause_ref(rules, "start_clause", "rules", clauses),
        post_repair_months=_int(post, "months", "rules.post_repair", low=1),
        post_repair_clause=_clause_ref(post, "clause", "rules.post_repair", clauses),
        service_areas=tuple(frozenset(a) for a in areas),
        region_clause=_clause_ref(region_rule, "clause", "rules.region", clauses),
        lcd=lcd, general_exclusions=general, clauses=clauses, lines=lines, symptoms=_symptoms(data),
    )
