"""``aftersales demo-data``: a working demo — policy packs, service centres, a serial registry
and one user per role, each member of staff at a service centre (the demo cases are at Shanghai);
repair cases in every status, self-repair orders, disputes and repairs of past years to audit.

Safe to run again: packs already loaded are skipped, centres and users are found by their code
and username, and the registry is imported through the ordinary CSV import, which updates known
serial numbers instead of adding them twice. The registry is the same every time (seeded random
numbers); its dates are counted back from today, so some devices are in warranty and some out
whatever day the demo runs.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role, ensure_role_groups
from aftersales.accounts.scope import AT_THEIR_CENTRES
from aftersales.centres.models import ServiceCentre
from aftersales.core import clock
from aftersales.core.errors import AppError
from aftersales.warranty.decisions import warranty_decide
from aftersales.warranty.registry import CSV_COLUMNS, devices_import_csv

DEMO_PASSWORD = "aftersales-demo"
DEVICES = 300
SEED = 20240115

CENTRES = [
    # code, English name, Chinese name, region, city, address, phone, time zone, parcel media
    ("sh-xuhui", "Shanghai Xuhui Service Centre", "上海徐汇服务中心", "CN", "Shanghai",
     "88 Caoxi Road North, Xuhui District", "021-5555-0101", "Asia/Shanghai", False),
    ("bj-haidian", "Beijing Haidian Service Centre", "北京海淀服务中心", "CN", "Beijing",
     "12 Zhongguancun Street, Haidian District", "010-5555-0102", "Asia/Shanghai", False),
    ("sz-nanshan", "Shenzhen Nanshan Service Centre", "深圳南山服务中心", "CN", "Shenzhen",
     "3 Keji Road, Nanshan District", "0755-5555-0103", "Asia/Shanghai", False),
    ("cd-wuhou", "Chengdu Wuhou Service Centre", "成都武侯服务中心", "CN", "Chengdu",
     "66 Renmin Road South, Wuhou District", "028-5555-0104", "Asia/Shanghai", False),
    ("hk-kowloon", "Hong Kong Kowloon Service Centre", "香港九龙服务中心", "HK", "Hong Kong",
     "20 Nathan Road, Tsim Sha Tsui", "+852 5555 0105", "Asia/Hong_Kong", False),
    ("tw-taipei", "Taipei Service Centre", "台北服务中心", "TW", "Taipei",
     "100 Zhongxiao East Road, Da'an District", "+886 2 5555 0106", "Asia/Taipei", False),
    ("us-fremont", "Fremont Repair Depot", "弗里蒙特维修中心", "US", "Fremont, CA",
     "48000 Kato Road, Fremont, CA 94538", "+1 510 555 0107", "America/Los_Angeles", True),
    ("ca-toronto", "Toronto Repair Depot", "多伦多维修中心", "CA", "Toronto, ON",
     "200 Consumers Road, Toronto, ON M2J 4R4", "+1 416 555 0108", "America/Toronto", True),
]

USERS = [  # username, role, first name, the centres they belong to
    ("staff", Role.STAFF, "Li Na", ["sh-xuhui"]),
    ("technician", Role.TECHNICIAN, "Wang Wei", ["sh-xuhui"]),
    ("verifier", Role.VERIFIER, "Zhang Min", ["sh-xuhui", "bj-haidian"]),
    # Executive care, auditors and administrators read every centre; their home centre is where
    # they sit, not a limit.
    ("execcare", Role.EXEC_CARE, "Chen Jie", ["sh-xuhui"]),
    ("auditor", Role.AUDITOR, "Liu Yang", ["bj-haidian"]),
    ("admin", Role.ADMIN, "Admin", ["sh-xuhui"]),
    ("customer", Role.CUSTOMER, "Zhao Lei", []),
]

# product line: serial prefix, models, regions of sale with weights
GREATER_CHINA = {"CN": 8, "HK": 1, "TW": 1}
LINES = {
    "rog-desktop": ("RG", ["ROG Strix G16CH", "ROG Strix GT35", "ROG Strix G15DK"], GREATER_CHINA),
    "home-desktop": ("HD", ["S500SE", "D700MC", "M700ME"], GREATER_CHINA),
    "aio": ("AI", ["A5402WVA", "M3402WFA", "Zen AiO 24"], GREATER_CHINA),
    "mini-pc": ("MP", ["PN53", "PN64", "PB62"], GREATER_CHINA),
    "nuc": ("NC", ["NUC 14 Pro", "NUC 13 Pro", "NUC 12 Enthusiast"], GREATER_CHINA),
    "notebook": ("NB", ["Vivobook 15", "Zenbook 14 OLED", "ROG Zephyrus G14"], {"US": 3, "CA": 1}),
}
# Showcase devices, always the same serials and ages: (serial, line, model, region, days old).
SHOWCASE = [
    ("HDCN00001", "home-desktop", "S500SE", "CN", 200),
    ("HDCN00002", "home-desktop", "D700MC", "CN", 5 * 365 + 30),
    ("NBUS00001", "notebook", "Zenbook 14 OLED", "US", 120),
    ("NBUS00002", "notebook", "Vivobook 15", "US", 2 * 365),
]


def registry_rows(today: dt.date) -> list[dict]:
    rng = random.Random(SEED)
    rows = [{"serial": s, "model": m, "product_line": ln, "sold_in": r,
             "manufactured_on": today - dt.timedelta(days=age),
             "shipped_on": today - dt.timedelta(days=max(age - 14, 0))}
            for s, ln, m, r, age in SHOWCASE]
    lines = list(LINES)
    for n in range(len(rows), DEVICES):
        line = lines[n % len(lines)]
        prefix, models, regions = LINES[line]
        region = rng.choices(list(regions), weights=list(regions.values()))[0]
        age = rng.randint(20, 6 * 365)
        rows.append({"serial": f"{prefix}{region}{n:05d}", "model": rng.choice(models),
                     "product_line": line, "manufactured_on": today - dt.timedelta(days=age),
                     "shipped_on": today - dt.timedelta(days=max(age - rng.randint(3, 60), 0)),
                     "sold_in": region})
    return rows


def registry_csv(rows: list[dict]) -> bytes:
    lines = [",".join(CSV_COLUMNS)]
    for row in rows:
        lines.append(",".join(str(row[c]) for c in CSV_COLUMNS))
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Load demo data: policy packs, service centres, a serial registry and one user per role."

    @no_translations  # the same English output whatever language the process last spoke
    def handle(self, *args, **opts):
        try:
            call_command("load-packs", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:  # e.g. a shipped file changed without a new version
            self.stderr.write(f"{exc}; the demo goes on with the packs already loaded")
        call_command("load-sla-policies", stdout=self.stdout, stderr=self.stderr)
        with transaction.atomic():
            centres = self.centres()
            users = self.users()
        today = clock.now().date()
        result = devices_import_csv(data=registry_csv(registry_rows(today)))
        if not result.ok:
            first = result.errors[0]
            raise CommandError(f"demo registry rejected: row {first.row} {first.field}: {first.en}")
        self.stdout.write(f"service centres: {centres} new; users: {users} new; "
                          f"devices: {result.created} new, {result.updated} updated")
        self.print_logins()
        self.print_serials(registry_rows(today))
        self.print_cases()
        self.print_programmes()

    def centres(self) -> int:
        created = 0
        for code, en, zh, region, city, address, phone, tz, media in CENTRES:
            _, new = ServiceCentre.objects.update_or_create(code=code, defaults={
                "name_en": en, "name_zh": zh, "region": region, "city": city, "address": address,
                "phone": phone, "timezone": tz, "requires_parcel_media": media})
            created += new
        return created

    def users(self) -> int:
        from django.contrib.auth.models import Group

        ensure_role_groups()
        created = 0
        for username, role, first_name, centres in USERS:
            user, new = User.objects.get_or_create(username=username, defaults={
                "first_name": first_name, "email": f"{username}@aftersales.example"})
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            user.centres.set(ServiceCentre.objects.filter(code__in=centres))
            created += new
        return created

    def print_cases(self) -> None:
        from aftersales.demo.cases import DEMO_EMAIL, demo_cases, demo_customer_account
        from aftersales.demo.every_status import cases_in_every_status

        staff, now = User.objects.get(username="staff"), clock.now()
        try:
            lines = demo_cases(centre="sh-xuhui", staff=staff, in_warranty="HDCN00001",
                               out_of_warranty="HDCN00002", now=now)
            lines += cases_in_every_status(centre="sh-xuhui", staff=staff, serial="HDCN00001", now=now)
        except AppError as exc:
            self.stderr.write(f"demo cases not built: [{exc.code}] {exc.en}")
            return
        self.stdout.write(f"\nRepair cases to follow on /track/ (contact: {DEMO_EMAIL}):")
        for line in lines:
            self.stdout.write(f"  {line}")
        demo_customer_account(user=User.objects.get(username="customer"), now=clock.now())
        self.stdout.write(f"They are the demo customer's: sign in on /account/sign-in/ as customer "
                          f"(or {DEMO_EMAIL}) with the demo password to see them under My repairs.")

    def print_programmes(self) -> None:
        from aftersales.demo.history import demo_history
        from aftersales.demo.programmes import demo_disputes, demo_self_repair
        from aftersales.demo.cases import DEMO_EMAIL
        from aftersales.repairs.models import Case

        now = clock.now()
        ready = Case.objects.filter(email=DEMO_EMAIL, status="ready").order_by("created_at").first()
        sections = (("Self-repair (United States and Canada)", lambda: demo_self_repair(now=now)),
                    ("Repairs of past years, for the overcharge audit", demo_history),
                    ("Disputes (console: /console/disputes/, as execcare)",
                     lambda: demo_disputes(ready_case=ready, now=now)))
        for title, build in sections:
            try:
                lines = build()
            except AppError as exc:
                lines = [f"not built: [{exc.code}] {exc.en}"]
            self.stdout.write(f"\n{title}:")
            for line in lines:
                self.stdout.write(f"  {line}")

    def print_logins(self) -> None:
        self.stdout.write("\nDemo sign-in (console: /console/, admin: /admin/), "
                          f"password for every user: {DEMO_PASSWORD}")
        names = dict(ServiceCentre.objects.values_list("code", "name_en"))
        for username, role, _, centres in USERS:
            where = ""
            if role in AT_THEIR_CENTRES:
                where = f" — sees {', '.join(names[c] for c in centres)}"
            elif role != Role.CUSTOMER:
                where = " — sees every centre"
            self.stdout.write(f"  {username:<11} {role.label}{where}")

    def print_serials(self, rows: list[dict]) -> None:
        """For each product line, a device in warranty and one out of it (the showcase devices
        where the line has them, else the line's newest and oldest)."""
        self.stdout.write("\nSerial numbers to try on /warranty/ (leave the invoice date empty):")
        now = clock.now()
        for line in LINES:
            for serial in try_serials(rows, line):
                self.stdout.write(f"  {serial}  {line:<12} {self.decision_line(serial, now)}")

    @staticmethod
    def decision_line(serial: str, now) -> str:
        part = "mainboard"
        try:
            decision = warranty_decide(data={"serial": serial, "part": part}, now=now).decision
        except AppError as exc:
            return exc.en
        state = "in warranty" if decision.covered else "out of warranty"
        return f"part {part}: {state} ({decision.starts_on} to {decision.ends_on})"


def try_serials(rows: list[dict], line: str) -> list[str]:
    showcase = [serial for serial, ln, *_ in SHOWCASE if ln == line]
    if showcase:
        return showcase
    ours = sorted((r for r in rows if r["product_line"] == line), key=lambda r: (r["manufactured_on"], r["serial"]))
    return [ours[-1]["serial"], ours[0]["serial"]]
