"""Reading MIS exports (SIMS, Arbor, or any CSV with a column mapping) into checked rows.

Pure Python with no Django import, so the rules can be read and tested alone. The service layer
(``harbour.people.services``) gives this module what the database already knows (class names,
staff codes, learners' UPNs) and writes the rows only when every one of them passed.

Every problem is collected with its CSV line number (the heading row is line 1) and a reason in
plain English; checking never stops at the first problem, so a school can fix the whole file in
one go ("bad input gets a clear error and changes nothing").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a file contains. Import order matters: staff, classes, learners, then parents."""

    CLASSES = "classes"
    STAFF = "staff"
    LEARNERS = "learners"
    PARENTS = "parents"


class ValueType(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"
    EMAIL = "email"
    UPN = "upn"
    YEAR = "year"
    PRIORITY = "priority"
    SEND = "send"
    LIST = "list"


@dataclass(frozen=True)
class Field:
    """One thing an import can set. ``key`` is the model field (or a reference to another record)."""

    key: str
    label: str
    type: ValueType = ValueType.TEXT
    required: bool = False
    max_length: int = 0
    default: object = ""
    # Identifiers keep their stored value when a cell is blank, so a partial export never
    # erases the key that the next import needs to find the record again.
    keep_when_blank: bool = False
    # Need-to-know data (vulnerability flags): imported, but not echoed back on the preview page.
    sensitive: bool = False


T = ValueType
FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.CLASSES: (
        Field("name", "Class name", required=True, max_length=80),
        Field("year_group", "Year group", T.YEAR, max_length=20),
        Field("mis_id", "MIS identifier", max_length=64, keep_when_blank=True),
        Field("teachers", "Teachers (staff codes or emails)", T.LIST, default=()),
    ),
    Kind.STAFF: (
        Field("title", "Title", max_length=20),
        Field("first_name", "First name", required=True, max_length=100),
        Field("last_name", "Surname", required=True, max_length=100),
        Field("email", "Work email", T.EMAIL, max_length=254, keep_when_blank=True),
        Field("job_title", "Role or job title", max_length=120),
        Field("staff_code", "Staff code", max_length=20, keep_when_blank=True),
        Field("mis_id", "MIS identifier", max_length=64, keep_when_blank=True),
        Field("started_on", "Start date", T.DATE, default=None),
        Field("left_on", "Leaving date", T.DATE, default=None),
    ),
    Kind.LEARNERS: (
        Field("last_name", "Surname", required=True, max_length=100),
        Field("first_name", "First name", required=True, max_length=100),
        Field("preferred_name", "Preferred first name", max_length=100),
        Field("date_of_birth", "Date of birth", T.DATE, required=True, default=None),
        Field("gender", "Gender", max_length=20),
        Field("year_group", "Year group", T.YEAR, required=True, max_length=20),
        Field("school_class", "Class", max_length=80),
        Field("upn", "UPN", T.UPN, max_length=13, keep_when_blank=True),
        Field("mis_id", "MIS identifier", max_length=64, keep_when_blank=True),
        Field("send_status", "SEN status", T.SEND, sensitive=True),
        Field("is_looked_after", "Looked after", T.BOOL, default=False, sensitive=True),
        Field("is_previously_looked_after", "Previously looked after", T.BOOL, default=False, sensitive=True),
        Field("has_child_protection_plan", "Child protection plan", T.BOOL, default=False, sensitive=True),
        Field("has_child_in_need_plan", "Child in need plan", T.BOOL, default=False, sensitive=True),
        Field("is_young_carer", "Young carer", T.BOOL, default=False, sensitive=True),
        Field("has_eal", "English as an additional language", T.BOOL, default=False, sensitive=True),
        Field("is_pupil_premium", "Pupil premium", T.BOOL, default=False, sensitive=True),
        Field("admitted_on", "Admission date", T.DATE, default=None),
        Field("left_on", "Leaving date", T.DATE, default=None),
    ),
    Kind.PARENTS: (
        Field("title", "Title", max_length=20),
        Field("first_name", "First name", max_length=100),
        Field("last_name", "Surname", required=True, max_length=100),
        Field("email", "Email", T.EMAIL, max_length=254, keep_when_blank=True),
        Field("phone", "Telephone", max_length=40),
        Field("mobile", "Mobile", max_length=40),
        Field("address", "Address", max_length=500),
        Field("mis_id", "MIS identifier of the contact", max_length=64, keep_when_blank=True),
        Field("learner_upn", "Learner's UPN", T.UPN, max_length=13),
        Field("learner_mis_id", "Learner's MIS identifier", max_length=64),
        Field("relationship", "Relationship", max_length=60),
        Field("has_parental_responsibility", "Parental responsibility", T.BOOL, default=True),
        Field("contact_priority", "Contact priority", T.PRIORITY, default=1),
        Field("lives_with_learner", "Lives with the learner", T.BOOL, default=True),
    ),
}

# A row must carry at least one of these, so a second import finds the same record again.
IDENTIFIERS: dict[Kind, tuple[str, ...]] = {
    Kind.CLASSES: ("name",),
    Kind.STAFF: ("staff_code", "mis_id", "email"),
    Kind.LEARNERS: ("upn", "mis_id"),
    Kind.PARENTS: ("learner_upn", "learner_mis_id"),
}


def field_for(kind: Kind, key: str) -> Field | None:
    return next((f for f in FIELDS[kind] if f.key == key), None)


# --- Heading presets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """The headings one MIS uses. Each field lists alternatives, the most likely first."""

    key: str
    label: str
    headings: Mapping[Kind, Mapping[str, tuple[str, ...]]]


SIMS = Preset(
    "sims",
    "SIMS",
    {
        Kind.CLASSES: {
            "name": ("Reg Group", "Registration Group", "Group Name", "Group"),
            "year_group": ("Year", "Year Group", "NC Year"),
            "mis_id": ("Group ID",),
            "teachers": ("Tutor Staff Code", "Tutor Code", "Tutors", "Tutor", "Staff Code"),
        },
        Kind.STAFF: {
            "title": ("Title",),
            "first_name": ("Legal Forename", "Forename"),
            "last_name": ("Legal Surname", "Surname"),
            "email": ("Work Email", "Email"),
            "job_title": ("Role", "Post", "Job Title"),
            "staff_code": ("Staff Code",),
            "mis_id": ("Staff ID", "Person ID"),
            "started_on": ("Employment Start", "Start Date"),
            "left_on": ("Employment End", "Leaving Date"),
        },
        Kind.LEARNERS: {
            "last_name": ("Legal Surname", "Surname"),
            "first_name": ("Legal Forename", "Forename"),
            "preferred_name": ("Preferred Forename",),
            "date_of_birth": ("DOB", "Date of Birth"),
            "gender": ("Gender",),
            "year_group": ("Year", "Year Group", "NC Year"),
            "school_class": ("Reg Group", "Reg"),
            "upn": ("UPN",),
            "mis_id": ("Adno", "Admission Number"),
            "send_status": ("SEN Status", "SEN Provision"),
            "is_looked_after": ("In Care", "In LA Care"),
            "is_previously_looked_after": ("Ever In Care", "Previously In Care"),
            "has_child_protection_plan": ("Child Protection Plan", "CP Plan"),
            "has_child_in_need_plan": ("Child In Need", "CIN Plan"),
            "is_young_carer": ("Young Carer",),
            "has_eal": ("EAL",),
            "is_pupil_premium": ("Pupil Premium Indicator", "Pupil Premium"),
            "admitted_on": ("Admission Date", "DOA"),
            "left_on": ("Date of Leaving", "Leaving Date"),
        },
        Kind.PARENTS: {
            "title": ("Contact Title", "Title"),
            "first_name": ("Contact Forename", "Forename"),
            "last_name": ("Contact Surname", "Surname"),
            "email": ("Email", "Contact Email"),
            "phone": ("Telephone", "Home Telephone"),
            "mobile": ("Mobile", "Mobile Telephone"),
            "address": ("Address", "Contact Address"),
            "mis_id": ("Contact ID",),
            "learner_upn": ("Pupil UPN", "UPN"),
            "learner_mis_id": ("Pupil Adno", "Adno"),
            "relationship": ("Relationship",),
            "has_parental_responsibility": ("Parental Responsibility",),
            "contact_priority": ("Priority", "Contact Priority"),
            "lives_with_learner": ("Lives With Pupil", "Lives With"),
        },
    },
)

ARBOR = Preset(
    "arbor",
    "Arbor",
    {
        Kind.CLASSES: {
            "name": ("Registration form", "Form", "Name"),
            "year_group": ("Year group",),
            "mis_id": ("MIS ID", "Form ID"),
            "teachers": ("Form tutor emails", "Form tutors", "Form tutor", "Tutor emails"),
        },
        Kind.STAFF: {
            "title": ("Title",),
            "first_name": ("Legal first name", "First name"),
            "last_name": ("Legal last name", "Last name"),
            "email": ("Work email", "Email address", "Email"),
            "job_title": ("Job title", "Role"),
            "staff_code": ("Staff code", "Initials"),
            "mis_id": ("MIS ID", "Staff ID"),
            "started_on": ("Start date",),
            "left_on": ("End date", "Leaving date"),
        },
        Kind.LEARNERS: {
            "last_name": ("Last name", "Legal last name"),
            "first_name": ("First name", "Legal first name"),
            "preferred_name": ("Preferred first name",),
            "date_of_birth": ("Date of birth",),
            "gender": ("Gender",),
            "year_group": ("Year group", "Year"),
            "school_class": ("Registration form", "Form"),
            "upn": ("UPN",),
            "mis_id": ("MIS ID", "Student ID"),
            "send_status": ("SEN status",),
            "is_looked_after": ("Looked after", "Currently looked after"),
            "is_previously_looked_after": ("Previously looked after",),
            "has_child_protection_plan": ("Child protection plan",),
            "has_child_in_need_plan": ("Child in need",),
            "is_young_carer": ("Young carer",),
            "has_eal": ("EAL",),
            "is_pupil_premium": ("Pupil premium", "Pupil premium eligible"),
            "admitted_on": ("Start date", "Admission date"),
            "left_on": ("Leaving date", "End date"),
        },
        Kind.PARENTS: {
            "title": ("Guardian title", "Title"),
            "first_name": ("Guardian first name", "Contact first name", "First name"),
            "last_name": ("Guardian last name", "Contact last name", "Last name"),
            "email": ("Email address", "Email"),
            "phone": ("Telephone", "Phone"),
            "mobile": ("Mobile number", "Mobile"),
            "address": ("Address",),
            "mis_id": ("Guardian ID", "Guardian MIS ID"),
            "learner_upn": ("Student UPN", "UPN"),
            "learner_mis_id": ("Student MIS ID", "Student ID"),
            "relationship": ("Relationship",),
            "has_parental_responsibility": ("Parental responsibility",),
            "contact_priority": ("Priority", "Contact priority"),
            "lives_with_learner": ("Lives with student",),
        },
    },
)

PRESETS: tuple[Preset, ...] = (SIMS, ARBOR)


def normalise_heading(heading: str) -> str:
    """Headings match whatever their case and spacing: "Legal  surname " is "Legal Surname"."""
    return " ".join(heading.replace("\ufeff", "").split()).casefold()


def _preset_matches(preset: Preset, kind: Kind, present: set[str]) -> dict[str, str]:
    """``{field key: normalised heading}`` for the fields this preset finds among ``present``."""
    found = {}
    for key, alternatives in preset.headings[kind].items():
        for heading in alternatives:
            if normalise_heading(heading) in present:
                found[key] = normalise_heading(heading)
                break
    return found


def detect_preset(kind: Kind, headers: list[str]) -> Preset | None:
    """The preset that recognises the most headings (ties go to the first listed), or None."""
    present = {normalise_heading(h) for h in headers}
    best, best_score = None, 0
    for preset in PRESETS:
        score = len(_preset_matches(preset, kind, present))
        if score > best_score:
            best, best_score = preset, score
    return best


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParsedRow:
    """One data row: converted values for the mapped fields, or the reasons it cannot be used."""

    line: int
    values: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Cells that could not be read, as written, so the preview can show what is wrong.
    unreadable: dict[str, str] = field(default_factory=dict)

    def display(self, key: str) -> str:
        if key in self.values:
            return format_value(self.values[key])
        return self.unreadable.get(key, "")

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ParseResult:
    kind: Kind
    headers: list[str] = field(default_factory=list)
    preset: Preset | None = None
    # field key -> heading as written in the file, for the fields that will be imported
    mapping: dict[str, str] = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)
    # Problems with the file as a whole (unreadable, missing columns): nothing can be imported.
    file_problems: list[Problem] = field(default_factory=list)
    ignored_headings: list[str] = field(default_factory=list)

    @property
    def preset_label(self) -> str:
        if self.preset is None:
            return "Not recognised (columns chosen by hand)" if self.mapping else "Not recognised"
        return self.preset.label

    @property
    def valid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.is_valid]

    @property
    def invalid_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not r.is_valid]

    @property
    def problems(self) -> list[Problem]:
        """Every problem, file-wide ones first, then by line, in the order found on each line."""
        row_problems = [Problem(r.line, message) for r in self.rows for message in r.errors]
        return list(self.file_problems) + row_problems

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or any(not r.is_valid for r in self.rows)

    def can_apply(self, *, skip_invalid: bool = False) -> bool:
        """Whether writing may go ahead: never with file-wide problems or nothing to write."""
        if self.file_problems or not self.valid_rows:
            return False
        return skip_invalid or not self.invalid_rows


@dataclass(frozen=True)
class References:
    """What Harbour already holds for the school, to check references to other records.

    Class names, staff codes and emails are compared case-insensitively (casefolded here).
    """

    class_names: frozenset[str] = frozenset()
    staff_codes: frozenset[str] = frozenset()
    staff_emails: frozenset[str] = frozenset()
    learner_upns: frozenset[str] = frozenset()
    learner_mis_ids: frozenset[str] = frozenset()


# --- Reading the file --------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The bytes are not a CSV text file we can read."""


def decode(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252, which many MIS
    exports still use."""
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            "This looks like a spreadsheet or other non-text file. Save it from your MIS or "
            "spreadsheet program as CSV and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "The file's text encoding is not recognised. Save it as CSV in UTF-8 and try again."
        ) from exc


def _delimiter(first_line: str) -> str:
    # Some exports use tabs or semicolons; a comma anywhere in the headings means plain CSV.
    if "," in first_line:
        return ","
    if "\t" in first_line:
        return "\t"
    if ";" in first_line:
        return ";"
    return ","


def read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """The heading row, then each non-blank data row with the line it starts on."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    headers: list[str] = []
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not headers:
                if any(c.strip() for c in cells):
                    headers = [c.replace("\ufeff", "").strip() for c in cells]
                    if start != 1:
                        problems.append(Problem(start, "The heading row must be the first line of the file."))
                continue
            if any(c.strip() for c in cells):
                records.append((start, cells))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, f"The file cannot be read as CSV here ({exc})."))
    return headers, records, problems


# --- Mapping headings to fields ----------------------------------------------------------------


def resolve_mapping(
    kind: Kind, headers: list[str], overrides: Mapping[str, object] | None = None
) -> tuple[Preset | None, dict[str, str], list[Problem]]:
    """Which column feeds which field: the detected preset, then any overrides on top.

    ``overrides`` maps field keys to headings in the file; an empty heading means "do not import
    this field". Unknown fields or headings are reported rather than ignored.
    """
    by_normal: dict[str, str] = {}
    for heading in headers:
        if heading.strip():
            by_normal.setdefault(normalise_heading(heading), heading)
    preset = detect_preset(kind, headers)
    mapping: dict[str, str] = {}
    if preset is not None:
        for key, normal in _preset_matches(preset, kind, set(by_normal)).items():
            mapping[key] = by_normal[normal]
    problems: list[Problem] = []
    if overrides is not None and not isinstance(overrides, Mapping):
        problems.append(Problem(1, "The column mapping must be a set of field: heading pairs."))
        overrides = {}
    for key, heading in (overrides or {}).items():
        spec = field_for(kind, str(key))
        if spec is None:
            known = ", ".join(f.key for f in FIELDS[kind])
            problems.append(
                Problem(1, f"The column mapping names '{key}', which {kind} imports do not have ({known}).")
            )
        elif heading in (None, ""):
            mapping.pop(spec.key, None)
        elif not isinstance(heading, str) or normalise_heading(heading) not in by_normal:
            problems.append(Problem(1, f"The column mapping uses '{heading}' for {spec.label}, but no column has it."))
        else:
            mapping[spec.key] = by_normal[normalise_heading(heading)]
    problems.extend(_missing_columns(kind, mapping))
    return preset, mapping, problems


def _expected(kind: Kind, key: str) -> str:
    names = [h for p in PRESETS for h in p.headings[kind].get(key, ())[:1]]
    return " or ".join(f"'{n}'" for n in dict.fromkeys(names))


def _missing_columns(kind: Kind, mapping: Mapping[str, str]) -> list[Problem]:
    problems = [
        Problem(1, f"No column for {spec.label}: expected a heading such as {_expected(kind, spec.key)}.")
        for spec in FIELDS[kind]
        if spec.required and spec.key not in mapping
    ]
    identifiers = IDENTIFIERS[kind]
    if not any(key in mapping for key in identifiers):
        labels = " or ".join(field_for(kind, k).label for k in identifiers)  # type: ignore[union-attr]
        problems.append(Problem(1, f"The file needs a column for {labels}, so records can be matched."))
    return problems


# --- Converting cells --------------------------------------------------------------------------


class _Invalid(ValueError):
    pass


def _show(raw: str) -> str:
    return f"'{raw[:40]}…'" if len(raw) > 40 else f"'{raw}'"


_TRUE = frozenset({"y", "yes", "true", "t", "1"})
_FALSE = frozenset({"n", "no", "false", "f", "0"})
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_MIDNIGHT = re.compile(r"^(\S+)\s+00:00(:00)?$")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]+$")
_UPN = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SEND = {
    "": "",
    "n": "",
    "no": "",
    "none": "",
    "no sen": "",
    "k": "K",
    "sen support": "K",
    "support": "K",
    "e": "E",
    "ehcp": "E",
    "ehc plan": "E",
    "education, health and care plan": "E",
    "s": "E",  # statements were replaced by EHC plans; old SIMS records still carry "S"
    "statement": "E",
}


def upn_check_letter(upn: str) -> str:
    """The DfE check letter for characters 2–13: weights 2..13, modulo 23, letters without I, O, S.

    A temporary UPN ends in a letter, which counts as its position in the same alphabet.
    """
    total = 0
    for weight, char in enumerate(upn[1:13], start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def _to_upn(raw: str, spec: Field) -> str:
    value = raw.replace(" ", "").upper()
    if not _UPN.match(value):
        raise _Invalid(f"{spec.label} {_show(raw)} should be 13 characters: a letter, then 12 digits.")
    expected = upn_check_letter(value)
    if value[0] != expected:
        raise _Invalid(f"{spec.label} {_show(raw)} has the wrong check letter (expected {expected}); check for a typo.")
    return value


def _to_date(raw: str, spec: Field) -> date:
    text = raw.strip()
    midnight = _MIDNIGHT.match(text)
    if midnight:
        text = midnight.group(1)
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= value.year <= 2100:
            return value
    raise _Invalid(f"{spec.label} {_show(raw)} is not a real date written as dd/mm/yyyy or yyyy-mm-dd.")


def _to_bool(raw: str, spec: Field) -> bool:
    text = raw.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(f"{spec.label} {_show(raw)} should be Yes or No (Y/N, True/False and 1/0 also work).")


def _to_email(raw: str, spec: Field) -> str:
    value = raw.strip().lower()
    if not _EMAIL.match(value):
        raise _Invalid(f"{spec.label} {_show(raw)} is not an email address.")
    return value


def normalise_year_group(raw: str) -> str | None:
    """ "Year 3", "Y3", "03" become "3"; "Reception"/"YR" become "R"; N1 and N2 stay. None if unknown."""
    text = raw.replace(" ", "").upper()
    if text in {"R", "REC", "RECEPTION", "YR", "YEARR"}:
        return "R"
    if text in {"N1", "NURSERY1"}:
        return "N1"
    if text in {"N2", "NURSERY2"}:
        return "N2"
    for prefix in ("YEAR", "YR", "Y"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    if text.isdigit() and 1 <= int(text) <= 13:
        return str(int(text))
    return None


def _to_year(raw: str, spec: Field) -> str:
    value = normalise_year_group(raw)
    if value is None:
        raise _Invalid(f"{spec.label} {_show(raw)} is not recognised: use N1, N2, R or a number from 1 to 13.")
    return value


def _to_priority(raw: str, spec: Field) -> int:
    text = raw.strip()
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise _Invalid(f"{spec.label} {_show(raw)} should be a whole number from 1 (first to call) to 99.")
    return int(text)


def _to_send(raw: str, spec: Field) -> str:
    key = " ".join(raw.split()).casefold()
    if key not in _SEND:
        raise _Invalid(f"{spec.label} {_show(raw)} is not recognised: use N (none), K (SEN support) or E (EHC plan).")
    return _SEND[key]


def _to_list(raw: str, spec: Field) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in re.split(r"[;,|]", raw) if part.strip()))


_CONVERTERS: dict[ValueType, Callable[[str, Field], object]] = {
    T.TEXT: lambda raw, spec: " ".join(raw.split()) if spec.key != "address" else raw.strip(),
    T.DATE: _to_date,
    T.BOOL: _to_bool,
    T.EMAIL: _to_email,
    T.UPN: _to_upn,
    T.YEAR: _to_year,
    T.PRIORITY: _to_priority,
    T.SEND: _to_send,
    T.LIST: _to_list,
}


def convert(spec: Field, raw: str) -> object:
    """The typed value of one cell; raises ValueError with a plain-English reason."""
    if not raw.strip():
        if spec.required:
            raise _Invalid(f"{spec.label} is missing.")
        return spec.default
    value = _CONVERTERS[spec.type](raw, spec)
    if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
        raise _Invalid(f"{spec.label} is too long: at most {spec.max_length} characters, this has {len(value)}.")
    return value


# --- Whole-file checks -------------------------------------------------------------------------


def _parse_row(kind: Kind, line: int, cells: list[str], width: int, positions: Mapping[str, int]) -> ParsedRow:
    row = ParsedRow(line=line)
    extra = [c for c in cells[width:] if c.strip()]
    if extra:
        row.errors.append(
            f"This row has {width + len(extra)} values but there are only {width} headings; look for a stray comma."
        )
    for spec in FIELDS[kind]:
        position = positions.get(spec.key)
        if position is None:
            continue
        # Exports often drop trailing empty cells, so a short row just means blanks.
        raw = cells[position] if position < len(cells) else ""
        try:
            row.values[spec.key] = convert(spec, raw)
        except ValueError as exc:
            row.errors.append(str(exc))
            row.unreadable[spec.key] = raw.strip()
    return row


def _row_rules(kind: Kind, row: ParsedRow, mapping: Mapping[str, str], today: date) -> None:
    values = row.values
    identifiers = [key for key in IDENTIFIERS[kind] if key in mapping]
    # An identifier that failed its own check is already reported; saying "missing" would mislead.
    all_blank = all(key in values and not values[key] for key in identifiers)
    if identifiers and all_blank and kind != Kind.CLASSES:
        labels = " or ".join(field_for(kind, k).label for k in identifiers)  # type: ignore[union-attr]
        reason = "to say which learner this contact belongs to" if kind == Kind.PARENTS else "to match it next time"
        row.errors.append(f"Needs a {labels} {reason}.")
    born = values.get("date_of_birth")
    if isinstance(born, date) and born > today:
        row.errors.append("Date of birth is in the future.")
    start = values.get("admitted_on") or values.get("started_on")
    left = values.get("left_on")
    if isinstance(start, date) and isinstance(left, date) and left < start:
        row.errors.append("Leaving date is before the start date.")


def _duplicate_keys(kind: Kind, values: Mapping[str, object]) -> list[tuple[str, str, str]]:
    """(label, comparison key, value as written) for what must be unique within one file."""

    def pair(label: str, key: str) -> tuple[str, str, str]:
        value = str(values.get(key) or "")
        return label, value.casefold(), value

    if kind == Kind.CLASSES:
        return [pair("Class name", "name")]
    if kind == Kind.STAFF:
        return [pair("Staff code", "staff_code"), pair("MIS identifier", "mis_id"), pair("Email", "email")]
    if kind == Kind.LEARNERS:
        return [pair("UPN", "upn"), pair("MIS identifier", "mis_id")]
    contact = [pair("", key)[1] for key in ("mis_id", "email", "first_name", "last_name")]
    contact_key = contact[0] or contact[1] or f"{contact[2]} {contact[3]}".strip()
    learner = pair("", "learner_upn")[1] or pair("", "learner_mis_id")[1]
    key = f"{contact_key}|{learner}" if contact_key and learner else ""
    return [("The same contact for this learner", key, "")]


def _check_duplicates(kind: Kind, rows: list[ParsedRow]) -> None:
    first_seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for label, key, shown in _duplicate_keys(kind, row.values):
            if not key:
                continue
            earlier = first_seen.setdefault((label, key), row.line)
            if earlier != row.line:
                what = f"{label} {_show(shown)}" if shown else label
                row.errors.append(f"{what} is already on line {earlier}; each record must appear once.")


def _check_references(kind: Kind, row: ParsedRow, refs: References) -> None:
    values = row.values
    if kind == Kind.LEARNERS:
        name = str(values.get("school_class") or "")
        if name and name.casefold() not in refs.class_names:
            row.errors.append(f"There is no class called {_show(name)}. Import classes first, or correct the name.")
    elif kind == Kind.CLASSES:
        for ref in values.get("teachers") or ():
            known = refs.staff_emails if "@" in ref else refs.staff_codes
            if ref.casefold() not in known:
                row.errors.append(f"No staff member has the code or email {_show(ref)}. Import staff first.")
    elif kind == Kind.PARENTS:
        upn, mis_id = str(values.get("learner_upn") or ""), str(values.get("learner_mis_id") or "")
        if (upn or mis_id) and upn not in refs.learner_upns and mis_id not in refs.learner_mis_ids:
            shown = f"UPN {upn}" if upn else f"MIS identifier {_show(mis_id)}"
            row.errors.append(f"No learner with {shown} is in Harbour. Import learners first.")


def parse(
    kind: Kind | str,
    text: str,
    *,
    refs: References,
    overrides: Mapping[str, object] | None = None,
    today: date | None = None,
) -> ParseResult:
    """Check a whole CSV export. Nothing is written here; the result says what could be."""
    kind = Kind(kind)
    today = today or date.today()
    headers, records, read_problems = read_csv(text)
    result = ParseResult(kind=kind, headers=headers, file_problems=read_problems)
    if not headers:
        result.file_problems.append(Problem(1, "The file is empty."))
        return result
    result.preset, result.mapping, mapping_problems = resolve_mapping(kind, headers, overrides)
    result.file_problems.extend(mapping_problems)
    used = set(result.mapping.values())
    result.ignored_headings = [h for h in headers if h and h not in used]
    if not records:
        result.file_problems.append(Problem(2, "The file has a heading row but no records under it."))
        return result
    if any(p.line == 1 for p in mapping_problems):
        return result  # without the right columns every row would repeat the same complaint
    column = {heading: i for i, heading in reversed(list(enumerate(headers)))}
    positions = {key: column[heading] for key, heading in result.mapping.items()}
    for line, cells in records:
        row = _parse_row(kind, line, cells, len(headers), positions)
        _row_rules(kind, row, result.mapping, today)
        result.rows.append(row)
    _check_duplicates(kind, result.rows)
    for row in result.rows:
        _check_references(kind, row, refs)
    return result


def format_value(value: object) -> str:
    """How a parsed value reads on the preview page."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)
