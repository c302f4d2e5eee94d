"""Each import format: which files and headers it expects, and how a row of it becomes a
`DealRow`, the one shape the importer writes. Formats know nothing of the database; stages,
owners, customers and reasons are resolved by `debrief.imports.actions`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from debrief.imports.reading import CsvFile


@dataclass(frozen=True)
class CustomerKey:
    name: str
    segment: str = ""
    region: str = ""
    size: str = ""


@dataclass
class DealRow:
    """One deal as read from a file, before it meets the database."""

    row: int
    external_id: str
    name: str
    customer: CustomerKey
    owner: str = ""
    team: str = ""
    team_manager: str = ""
    stage: str = ""
    # What the file says about the outcome besides the stage name (IsWon, Status...), if anything.
    kind: str | None = None
    stage_column: str = ""
    # Pipedrive keeps won and lost apart from the stage: there the stage is where the deal
    # stood when it closed, and the deal itself goes to the organisation's won or lost stage.
    stage_is_position: bool = False
    amount: Decimal = Decimal(0)
    currency: str = ""
    created: dt.datetime | None = None
    closed: dt.date | None = None
    expected_close: dt.date | None = None
    source: str = ""
    loss_reasons: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class CellError:
    column: str
    value: str
    message: str


class RowInvalid(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class LayoutProblem(Exception):
    """The files do not fit the format (missing headers, a mapping naming missing columns)."""

    def __init__(self, message: str, file: str = "", column: str = "") -> None:
        super().__init__(message)
        self.file = file
        self.column = column


# --- cell parsing -------------------------------------------------------------------------

_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_THOUSANDS_COMMA = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_THOUSANDS_DOT = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")
_CURRENCY_IN_PARENS = re.compile(r"\(([A-Z]{3})\)")
_SYMBOLS = "$€£¥ \u00a0'"


def parse_amount(text: str) -> Decimal:
    """An amount as CRMs write it: 1234.5, 1,234.50, 1.234,50, 1234,50, "$ 1,234". Anything
    else (a letter O for a zero, two decimal points) is refused rather than guessed."""
    value = text.strip()
    for char in _SYMBOLS:
        value = value.replace(char, "")
    if not value:
        return Decimal(0)
    if _PLAIN.fullmatch(value):
        number = value
    elif _THOUSANDS_COMMA.fullmatch(value):
        number = value.replace(",", "")
    elif _THOUSANDS_DOT.fullmatch(value):
        number = value.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(value):
        number = value.replace(",", ".")
    else:
        raise ValueError(f"{text!r} is not an amount")
    try:
        amount = Decimal(number).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if abs(amount) >= Decimal(10) ** 12:
        raise ValueError(f"{text!r} is too large an amount")
    return amount


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_datetime(text: str, date_format: str | None = None) -> dt.datetime | None:
    """A date or timestamp: ISO 8601 (2025-02-28, 2025-02-28T10:00:00.000+0000, 2025-02-28
    10:00), or day-first 28/02/2025 unless the mapping gives a `date_format`. A day that does
    not exist (31/02/2025) is refused. Naive times are taken as UTC."""
    value = text.strip()
    if not value:
        return None
    try:
        if date_format:
            parsed = dt.datetime.strptime(value, date_format)
        elif m := _ISO_DATE.match(value):
            rest = value[m.end() :].strip().lstrip("T")
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            parsed = dt.datetime.combine(day, dt.time())
            if rest:
                iso = value.replace(" ", "T", 1).replace("Z", "+00:00")
                iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
                parsed = dt.datetime.fromisoformat(iso)
        elif m := _SLASH_DATE.match(value):
            parsed = dt.datetime(int(m[3]), int(m[2]), int(m[1]))
        else:
            raise ValueError("unknown layout")
    except ValueError as error:
        reason = str(error)
        if "unknown layout" in reason or "does not match" in reason:
            raise ValueError(f"{text!r} is not a date") from None
        raise ValueError(f"{text!r} is not a date ({reason})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def split_list(text: str, separator: str = ";") -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.split(separator) if p.strip()))


def currency_code(text: str, default: str) -> str:
    value = text.strip()
    if not value:
        return default
    if m := _CURRENCY_IN_PARENS.search(value):
        return m[1]
    upper = value.upper()
    if re.fullmatch(r"[A-Z]{3}", upper):
        return upper
    raise ValueError(f"{text!r} is not a three-letter currency code")


TRUE_WORDS = {"1", "true", "yes", "y", "t"}


class Cells:
    """One raw row, read cell by cell; a cell that does not parse is noted, not raised, so a
    row reports all its errors at once."""

    def __init__(self, raw: Mapping[str, str], date_format: str | None = None) -> None:
        self.raw = raw
        self.date_format = date_format
        self.used: set[str] = set()
        self.errors: list[CellError] = []

    def text(self, *columns: str) -> str:
        """The first of these columns that the file has, stripped ("" if none)."""
        for column in columns:
            if column in self.raw:
                self.used.add(column)
                return self.raw[column].strip()
        return ""

    def column(self, *columns: str) -> str:
        return next((c for c in columns if c in self.raw), columns[0])

    def amount(self, column: str) -> Decimal:
        self.used.add(column)
        try:
            return parse_amount(self.raw.get(column, ""))
        except ValueError as error:
            self.errors.append(CellError(column, self.raw.get(column, ""), str(error)))
            return Decimal(0)

    def when(self, *columns: str) -> dt.datetime | None:
        column = self.column(*columns)
        value = self.text(column)
        try:
            return parse_datetime(value, self.date_format)
        except ValueError as error:
            self.errors.append(CellError(column, value, str(error)))
            return None

    def day(self, *columns: str) -> dt.date | None:
        when = self.when(*columns)
        return when.date() if when else None

    def currency(self, column: str, default: str) -> str:
        value = self.text(column)
        try:
            return currency_code(value, default)
        except ValueError as error:
            self.errors.append(CellError(column, value, str(error)))
            return default

    def flag(self, column: str) -> bool | None:
        if column not in self.raw:
            return None
        return self.text(column).lower() in TRUE_WORDS

    def require(self, column: str, label: str) -> str:
        value = self.text(column)
        if not value:
            self.errors.append(CellError(column, value, f"{label} is missing"))
        return value

    def attributes(self, skip: Iterable[str] = ()) -> dict[str, str]:
        """The columns no field took, under their original header, when they hold a value."""
        left_out = self.used | set(skip)
        return {k: v for k, v in self.raw.items() if k and k not in left_out and v.strip()}

    def done(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


# --- formats ------------------------------------------------------------------------------

Converter = Callable[[int, Mapping[str, str]], DealRow]


@dataclass
class Plan:
    """How to read one import: the file whose rows are deals, how to turn a row into a
    DealRow, and notes for the report (files joined, names reconciled)."""

    main: CsvFile
    convert: Converter
    notes: list[str] = field(default_factory=list)
    reconciled: dict[str, int] = field(default_factory=dict)


class Format:
    name: ClassVar[str]
    label: ClassVar[str]
    source: ClassVar[str]
    required: ClassVar[tuple[str, ...]]

    def __init__(self, mapping: Mapping[str, Any] | None = None) -> None:
        self.mapping: Mapping[str, Any] = mapping or {}

    @property
    def external_source(self) -> str:
        return str(self.mapping.get("source") or self.source)

    @property
    def default_currency(self) -> str:
        return str(self.mapping.get("currency") or "")

    def fits(self, file: CsvFile) -> bool:
        return all(h in file.headers for h in self.required)

    def plan(self, files: list[CsvFile]) -> Plan:
        if len(files) != 1:
            raise LayoutProblem(f"The {self.label} format reads one file, not {len(files)}.")
        file = files[0]
        self.check_headers(file)
        return Plan(main=file, convert=self.converter(file))

    def check_headers(self, file: CsvFile) -> None:
        missing = [h for h in self.required if h not in file.headers]
        if missing:
            raise LayoutProblem(
                f"{file.name} is not in the {self.label} layout: row 1 lacks the column"
                f"{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
                f"(it has {', '.join(repr(h) for h in file.headers[:8])}"
                f"{'…' if len(file.headers) > 8 else ''}).",
                file=file.name,
                column=missing[0],
            )

    def converter(self, file: CsvFile) -> Converter:
        raise NotImplementedError

    def cells(self, raw: Mapping[str, str]) -> Cells:
        return Cells(raw, self.mapping.get("date_format"))


class SalesforceFormat(Format):
    """A Salesforce Opportunity export (Data Loader, Bulk API or report): API field names. An
    OpportunityCompetitor export given alongside adds the competitors."""

    name = "salesforce"
    label = "Salesforce"
    source = "salesforce"
    required = ("Id", "Name", "StageName")

    def plan(self, files: list[CsvFile]) -> Plan:
        main = [f for f in files if "StageName" in f.headers]
        rivals = [f for f in files if {"OpportunityId", "CompetitorName"} <= set(f.headers)]
        if len(main) != 1 or len(main) + len(rivals) != len(files):
            for file in files:
                if file not in main and file not in rivals:
                    self.check_headers(file)
            raise LayoutProblem("Give one Salesforce Opportunity export (with StageName).")
        self.check_headers(main[0])
        competitors: dict[str, list[str]] = {}
        notes = []
        for file in rivals:
            for _, raw in file.rows():
                if raw.get("IsDeleted", "").strip().lower() in TRUE_WORDS:
                    continue
                name = raw["CompetitorName"].strip()
                if name:
                    competitors.setdefault(raw["OpportunityId"].strip(), []).append(name)
            notes.append(f"Competitors joined from {file.name}.")
        self.competitors = competitors
        return Plan(main=main[0], convert=self.converter(main[0]), notes=notes)

    def converter(self, file: CsvFile) -> Converter:
        competitors: dict[str, list[str]] = getattr(self, "competitors", {})
        default_currency = self.default_currency

        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            external_id = c.require("Id", "Opportunity Id")
            won, closed = c.flag("IsWon"), c.flag("IsClosed")
            kind = None
            if won:
                kind = "won"
            elif closed is not None:
                kind = "lost" if closed else "open"
            close_date = c.day("CloseDate")
            reasons = split_list(c.text("LossReason__c")) + split_list(c.text("Loss_Reason__c"))
            row = DealRow(
                row=number,
                external_id=external_id,
                name=c.text("Name") or external_id,
                customer=CustomerKey(
                    name=c.text("Account.Name", "Account Name", "AccountName", "AccountId"),
                    segment=c.text("Account.Industry", "Industry"),
                    region=c.text("Account.BillingCountry", "BillingCountry"),
                ),
                owner=c.text("Owner.Email", "Owner.Name", "Owner Name", "OwnerId"),
                stage=c.require("StageName", "Stage"),
                kind=kind,
                stage_column="StageName",
                amount=c.amount("Amount"),
                currency=c.currency("CurrencyIsoCode", default_currency),
                created=c.when("CreatedDate"),
                closed=close_date,
                expected_close=close_date,
                source=c.text("LeadSource"),
                loss_reasons=tuple(dict.fromkeys(reasons)),
                competitors=tuple(dict.fromkeys(competitors.get(external_id, ()))),
            )
            c.text("IsWon", "IsClosed")
            row.attributes = c.attributes(skip=("IsWon", "IsClosed"))
            c.done()
            return row

        return convert


class HubspotFormat(Format):
    """A HubSpot deals export ("Export all deals"): its column labels."""

    name = "hubspot"
    label = "HubSpot"
    source = "hubspot"
    required = ("Record ID", "Deal Name", "Deal Stage")

    def converter(self, file: CsvFile) -> Converter:
        default_currency = self.default_currency

        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            won, lost = c.flag("Is Closed Won"), c.flag("Is closed lost")
            if won is None and lost is None:
                won, lost = c.flag("Is Closed Won"), c.flag("Is Closed Lost")
            kind = "won" if won else "lost" if lost else "open" if won is not None else None
            c.text("Is Closed Won", "Is closed lost", "Is Closed Lost")
            external_id = c.require("Record ID", "Record ID")
            close_date = c.day("Close Date")
            row = DealRow(
                row=number,
                external_id=external_id,
                name=c.text("Deal Name") or external_id,
                customer=CustomerKey(
                    name=c.text(
                        "Associated Company (Primary)", "Associated Company", "Company name"
                    ),
                    segment=c.text("Industry"),
                    region=c.text("Country/Region", "Country"),
                ),
                owner=c.text("Deal owner", "Deal Owner"),
                stage=c.require("Deal Stage", "Deal Stage"),
                kind=kind,
                stage_column="Deal Stage",
                amount=c.amount("Amount"),
                currency=c.currency(c.column("Currency", "Deal currency code"), default_currency),
                created=c.when("Create Date"),
                closed=close_date,
                expected_close=close_date,
                source=c.text("Original Source Type", "Original Source"),
                loss_reasons=split_list(c.text("Closed Lost Reason")),
                competitors=split_list(c.text("Competitor", "Competitors")),
                products=split_list(c.text("Associated Products", "Product")),
            )
            row.attributes = c.attributes()
            c.done()
            return row

        return convert


class PipedriveFormat(Format):
    """A Pipedrive deals spreadsheet export: "Deal - <field>" labels."""

    name = "pipedrive"
    label = "Pipedrive"
    source = "pipedrive"
    required = ("Deal - ID", "Deal - Title", "Deal - Stage")

    def converter(self, file: CsvFile) -> Converter:
        default_currency = self.default_currency

        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            status = c.text("Deal - Status").lower()
            kind = status if status in ("open", "won", "lost") else None
            external_id = c.require("Deal - ID", "Deal ID")
            closed = c.day(
                "Deal - Won time"
                if kind == "won"
                else "Deal - Lost time"
                if kind == "lost"
                else "Deal - Deal closed on"
            )
            if closed is None and kind in ("won", "lost"):
                closed = c.day("Deal - Deal closed on")
            c.text("Deal - Won time", "Deal - Lost time", "Deal - Deal closed on")
            row = DealRow(
                row=number,
                external_id=external_id,
                name=c.text("Deal - Title") or external_id,
                customer=CustomerKey(name=c.text("Deal - Organization")),
                owner=c.text("Deal - Owner"),
                stage=c.require("Deal - Stage", "Stage"),
                kind=kind,
                stage_column="Deal - Stage",
                stage_is_position=True,
                amount=c.amount("Deal - Value"),
                currency=c.currency("Deal - Currency of Value", default_currency),
                created=c.when("Deal - Deal created"),
                closed=closed,
                expected_close=c.day("Deal - Expected close date"),
                source=c.text("Deal - Source channel", "Deal - Source origin"),
                loss_reasons=split_list(c.text("Deal - Lost reason")),
                products=split_list(c.text("Deal - Product name"), ","),
            )
            c.text("Deal - Status")
            row.attributes = c.attributes()
            c.done()
            return row

        return convert


class IbmFormat(Format):
    """IBM's Watson Analytics "Sales Win Loss" sample. No customers, owners, stages or dates:
    each client profile (region and size codes) becomes a customer, deals go to the org's own
    won and lost stages, and the rest stays as attributes (Competitor Type "None" included)."""

    name = "ibm"
    label = "IBM Sales Win Loss"
    source = "ibm"
    required = ("Opportunity Number", "Opportunity Result", "Opportunity Amount USD", "Region")
    OUTCOMES: ClassVar[dict[str, str]] = {"won": "won", "loss": "lost", "lost": "lost"}

    def converter(self, file: CsvFile) -> Converter:
        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            external_id = c.require("Opportunity Number", "Opportunity Number")
            result = c.text("Opportunity Result")
            kind = self.OUTCOMES.get(result.lower())
            if kind is None:
                c.errors.append(
                    CellError("Opportunity Result", result, f"{result!r} is neither Won nor Loss")
                )
            region = c.text("Region")
            revenue = c.text("Client Size By Revenue")
            employees = c.text("Client Size By Employee Count")
            row = DealRow(
                row=number,
                external_id=external_id,
                name=f"Opportunity {external_id}",
                customer=CustomerKey(
                    name=f"{region} client, revenue size {revenue}, employee size {employees}",
                    segment=f"Revenue size {revenue}",
                    region=region,
                    size=f"Employee size {employees}",
                ),
                kind=kind,
                stage_column="Opportunity Result",
                amount=c.amount("Opportunity Amount USD"),
                currency="USD",
                source=c.text("Route To Market"),
                products=split_list(c.text("Supplies Subgroup")),
            )
            row.attributes = c.attributes()
            c.done()
            return row

        return convert


class SalvirtFormat(Format):
    """Salvirt's B2B deals (semicolons, Won/Lost, no ids): a deal's id is its row number, so
    importing the same file again finds the same deals."""

    name = "salvirt"
    label = "Salvirt B2B"
    source = "salvirt"
    required = ("Product", "Seller", "Status", "Comp_size", "Deal_type")

    def converter(self, file: CsvFile) -> Converter:
        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            status = c.text("Status")
            kind = {"won": "won", "lost": "lost"}.get(status.lower())
            if kind is None:
                c.errors.append(CellError("Status", status, f"{status!r} is neither Won nor Lost"))
            size = c.text("Comp_size")
            row = DealRow(
                row=number,
                external_id=str(number),
                name=f"Salvirt deal {number}",
                customer=CustomerKey(name=f"Salvirt client, {size or 'Unknown'} size", size=size),
                owner=c.text("Seller"),
                kind=kind,
                stage_column="Status",
                currency="EUR",
                source=c.text("Source"),
                products=split_list(c.text("Product")),
            )
            row.attributes = c.attributes()
            c.done()
            return row

        return convert


class MavenFormat(Format):
    """Maven Analytics' CRM opportunities: sales_pipeline.csv joined with accounts.csv,
    products.csv and sales_teams.csv (data_dictionary.csv is read and ignored). Files are
    told apart by their headers, not their names."""

    name = "maven"
    label = "Maven CRM"
    source = "maven"
    required = ("opportunity_id", "sales_agent", "product", "account", "deal_stage")
    KINDS: ClassVar[dict[str, str]] = {"won": "won", "lost": "lost"}

    def plan(self, files: list[CsvFile]) -> Plan:
        roles = {
            "pipeline": set(self.required),
            "accounts": {"account", "sector", "office_location"},
            "products": {"product", "series", "sales_price"},
            "teams": {"sales_agent", "manager", "regional_office"},
            "dictionary": {"Table", "Field", "Description"},
        }
        found: dict[str, CsvFile] = {}
        for file in files:
            role = next((r for r, need in roles.items() if need <= set(file.headers)), None)
            if role is None:
                raise LayoutProblem(
                    f"{file.name} is none of Maven's files (sales_pipeline, accounts, "
                    f"products, sales_teams, data_dictionary): row 1 has "
                    f"{', '.join(repr(h) for h in file.headers[:8])}.",
                    file=file.name,
                )
            found[role] = file
        if "pipeline" not in found:
            raise LayoutProblem("The Maven format needs sales_pipeline.csv among the files.")
        accounts = (
            {r["account"].strip(): r for _, r in found["accounts"].rows()}
            if "accounts" in found
            else {}
        )
        teams = (
            {r["sales_agent"].strip(): r for _, r in found["teams"].rows()}
            if "teams" in found
            else {}
        )
        products = (
            [r["product"].strip() for _, r in found["products"].rows()]
            if ("products" in found)
            else []
        )
        spaced = {p.replace(" ", "").lower(): p for p in products}
        aliases: dict[str, str] = dict(self.mapping.get("products", {}))
        reconciled: dict[str, int] = {}
        notes = [f"Joined {', '.join(sorted(f.name for f in found.values()))}."]
        missing = sorted(set(roles) - set(found) - {"dictionary"})
        if missing:
            notes.append(f"Not given: {', '.join(missing)}; their columns stay empty.")

        def product(name: str) -> str:
            if name in aliases:
                return aliases[name]
            if products and name not in products:
                # "GTXPro" in the pipeline is "GTX Pro" in products.csv: the same product.
                match = spaced.get(name.replace(" ", "").lower())
                if match:
                    key = f"{name} → {match}"
                    reconciled[key] = reconciled.get(key, 0) + 1
                    return match
            return name

        pipeline = found["pipeline"]

        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            external_id = c.require("opportunity_id", "opportunity_id")
            stage = c.require("deal_stage", "deal_stage")
            agent = c.text("sales_agent")
            account_name = c.text("account")
            account = accounts.get(account_name, {})
            team = teams.get(agent, {})
            kind = self.KINDS.get(stage.lower(), "open")
            closed = c.day("close_date")
            row = DealRow(
                row=number,
                external_id=external_id,
                name=f"{account_name or 'No account'} – {raw.get('product', '').strip()}",
                customer=CustomerKey(
                    name=account_name or "(no account)",
                    segment=account.get("sector", "").strip(),
                    region=account.get("office_location", "").strip(),
                    size=account.get("employees", "").strip(),
                ),
                owner=agent,
                team=team.get("regional_office", "").strip(),
                team_manager=team.get("manager", "").strip(),
                stage=stage,
                kind=kind,
                stage_column="deal_stage",
                amount=c.amount("close_value"),
                currency="USD",
                created=c.when("engage_date"),
                closed=closed if kind != "open" else None,
                products=(product(c.text("product")),) if raw.get("product", "").strip() else (),
            )
            row.attributes = c.attributes()
            c.done()
            return row

        return Plan(main=pipeline, convert=convert, notes=notes, reconciled=reconciled)


COLUMN_KEYS = (
    "external_id",
    "name",
    "customer",
    "segment",
    "region",
    "size",
    "owner",
    "team",
    "stage",
    "outcome",
    "amount",
    "currency",
    "created",
    "closed",
    "expected_close",
    "source",
    "loss_reasons",
    "competitors",
    "products",
)


class CsvFormat(Format):
    """Any CSV, with a JSON mapping file that names the column for each field (see
    docs/imports.md)."""

    name = "csv"
    label = "generic CSV"
    source = "csv"
    required = ()

    def plan(self, files: list[CsvFile]) -> Plan:
        columns = self.mapping.get("columns")
        if not isinstance(columns, dict) or not columns:
            raise LayoutProblem(
                'The csv format needs a mapping file with a "columns" object (--mapping FILE).'
            )
        unknown = sorted(set(columns) - set(COLUMN_KEYS))
        if unknown:
            raise LayoutProblem(
                f"The mapping names unknown fields {', '.join(unknown)}; "
                f"known: {', '.join(COLUMN_KEYS)}."
            )
        if "external_id" not in columns:
            raise LayoutProblem('The mapping must name the "external_id" column.')
        if "stage" not in columns and "outcome" not in columns:
            raise LayoutProblem('The mapping must name a "stage" or an "outcome" column.')
        if len(files) != 1:
            raise LayoutProblem(f"The csv format reads one file, not {len(files)}.")
        file = files[0]
        for key, header in columns.items():
            if header not in file.headers:
                raise LayoutProblem(
                    f"The mapping's {key!r} names column {header!r}, which {file.name} does "
                    f"not have in row 1 (it has {', '.join(repr(h) for h in file.headers)}).",
                    file=file.name,
                    column=str(header),
                )
        return Plan(main=file, convert=self.converter(file))

    def converter(self, file: CsvFile) -> Converter:
        columns: dict[str, str] = dict(self.mapping["columns"])
        outcomes = {str(k).lower(): str(v) for k, v in self.mapping.get("outcomes", {}).items()}
        separator = str(self.mapping.get("list_separator", ";"))
        default_currency = self.default_currency

        def col(key: str) -> str:
            return columns.get(key, f"\x00{key}")

        def convert(number: int, raw: Mapping[str, str]) -> DealRow:
            c = self.cells(raw)
            external_id = c.require(columns["external_id"], "The external id")
            kind = None
            if "outcome" in columns:
                value = c.text(columns["outcome"])
                kind = outcomes.get(value.lower(), value.lower())
                if kind not in ("open", "won", "lost"):
                    c.errors.append(
                        CellError(
                            columns["outcome"],
                            value,
                            f'outcome {value!r} is mapped to nothing (add it to "outcomes")',
                        )
                    )
                    kind = None
            row = DealRow(
                row=number,
                external_id=external_id,
                name=c.text(col("name")) or external_id,
                customer=CustomerKey(
                    name=c.text(col("customer")),
                    segment=c.text(col("segment")),
                    region=c.text(col("region")),
                    size=c.text(col("size")),
                ),
                owner=c.text(col("owner")),
                team=c.text(col("team")),
                stage=c.text(col("stage")),
                kind=kind,
                stage_column=columns.get("stage", columns.get("outcome", "")),
                amount=c.amount(col("amount")) if "amount" in columns else Decimal(0),
                currency=c.currency(col("currency"), default_currency),
                created=c.when(col("created")) if "created" in columns else None,
                closed=c.day(col("closed")) if "closed" in columns else None,
                expected_close=(
                    c.day(col("expected_close")) if "expected_close" in columns else None
                ),
                source=c.text(col("source")),
                loss_reasons=split_list(c.text(col("loss_reasons")), separator),
                competitors=split_list(c.text(col("competitors")), separator),
                products=split_list(c.text(col("products")), separator),
            )
            row.attributes = c.attributes()
            c.done()
            return row

        return convert


FORMATS: dict[str, type[Format]] = {
    f.name: f
    for f in (
        SalesforceFormat,
        HubspotFormat,
        PipedriveFormat,
        IbmFormat,
        MavenFormat,
        SalvirtFormat,
        CsvFormat,
    )
}


def iter_rows(plan: Plan) -> Iterator[tuple[int, Mapping[str, str]]]:
    return plan.main.rows()
