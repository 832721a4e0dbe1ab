"""Reading, writing and checking policy configuration files (GOV-24, GOV-19).

* ``load_yaml(text) -> (flat, errors)`` reads a YAML file into the flat configuration and reports
  every problem with its YAML path (``devices.learners.phone_rule: expected one of ...``).
* ``dump_yaml(flat) -> str`` writes the file: sections in schema order with a heading comment each,
  clause map last, one row per line. The output is deterministic and ``dump_yaml(load_yaml(x)[0]) == x``
  for any ``x`` it produced, so export -> import -> export gives identical text.
* ``validate(flat) -> errors`` checks a flat configuration (every error, not just the first).
* ``missing_key_details(flat) -> labels`` lists the key details publication needs (GOV-19).

Pure Python: PyYAML and the schema only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from harbour.policy.rules import presets, schema
from harbour.policy.rules.schema_types import is_iso_date, show, suggest
from harbour.policy.rules.schema_validate import ConfigError, check_dates_in_order, missing_key_details, validate

__all__ = [
    "ConfigError",
    "dump_yaml",
    "exportable",
    "load_yaml",
    "load_yaml_bytes",
    "missing_key_details",
    "validate",
]

MAX_FILE_BYTES = 2_000_000  # a full policy is ~30 kB; anything this big is not one


# --- the tree of sections --------------------------------------------------------------------------


def _build_tree() -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for var in schema.VARIABLES:
        node = tree
        *parents, leaf = var.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = var
    return tree


_TREE = _build_tree()
_TOP_LEVEL_EXTRA = (
    schema.FORMAT_KEY,
    schema.PRESET_KEY,
    schema.RULE_SECTIONS_KEY,
    schema.RULES_KEY,
    schema.SECTIONS_TEXT_KEY,
    schema.CLAUSES_KEY,
)
_PASSED_THROUGH = (schema.RULES_KEY, schema.RULE_SECTIONS_KEY, schema.SECTIONS_TEXT_KEY)
MAX_SYNTAX_ERRORS = 25
# Reading again after each syntax error costs one parse per error: only for files of a policy's size,
# so a huge upload costs one parse, never 25 (a full policy is ~30 kB).
RETRY_BELOW_BYTES = 200_000


# --- loading -----------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """A safe loader that notes duplicate keys instead of letting the later one win silently."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hashable = key in seen
            except TypeError:
                continue  # an unhashable key fails in the base class with a clear error
            if hashable:
                self.duplicates.append((str(key), key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        # "2025-13-01" looks like a date to YAML but is not one: keep the text so validate() can say so.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str) -> tuple[dict[str, Any], list[ConfigError]]:
    """Parse a policy YAML file into the flat configuration, with every error found (GOV-24).

    Variables the file leaves out take their default. When errors are returned the configuration must
    not be used."""
    errors: list[ConfigError] = []
    data, syntax, duplicates = _parse(text)
    if syntax:
        return {}, syntax
    errors.extend(ConfigError(f"line {line}", f'"{key}" is given twice', line=line) for key, line in duplicates)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, [ConfigError("file", f"expected a mapping of sections at the top; got {show(data)}")]

    preset_name = data.get(schema.PRESET_KEY)
    if preset_name is not None:
        try:
            data = presets.merge(presets.raw(str(preset_name)), data)
        except KeyError:
            errors.append(
                ConfigError(
                    schema.PRESET_KEY,
                    f"unknown preset {show(preset_name)}{suggest(str(preset_name), presets.names())}; "
                    f"presets: {', '.join(presets.names())}",
                )
            )
    flat = schema.blank_config()
    if preset_name is not None:
        flat[schema.PRESET_KEY] = str(preset_name)
    effective: dict[str, str] = {}
    fmt = data.get(schema.FORMAT_KEY, schema.FORMAT_VERSION)
    if fmt != schema.FORMAT_VERSION:
        errors.append(
            ConfigError(schema.FORMAT_KEY, f"this Harbour reads format {schema.FORMAT_VERSION}; got {show(fmt)}")
        )
    _walk(data, _TREE, "", flat, effective, errors, top=True)
    if schema.CLAUSES_KEY in data:
        flat[schema.CLAUSES_KEY] = _normalise(data[schema.CLAUSES_KEY])
        if isinstance(flat[schema.CLAUSES_KEY], dict):  # "[]" removes a preset's row
            flat[schema.CLAUSES_KEY] = {k: v for k, v in flat[schema.CLAUSES_KEY].items() if v != []}
    for key in _PASSED_THROUGH:
        if data.get(key) is not None:
            flat[key] = _normalise(data[key])
    if effective:
        flat[schema.EFFECTIVE_DATES_KEY] = effective
    errors.extend(validate(flat))
    errors.extend(check_dates_in_order(flat))
    return flat, _located(sorted(set(errors), key=_error_order(text)), text)


def _parse(text: str) -> tuple[Any, list[ConfigError], list[tuple[str, int]]]:
    """The YAML data, or every syntax error (issue #21 point 6).

    PyYAML stops at the first error, so after each one the offending line is blanked and the text is
    read again: a person then sees every broken line at once instead of one per try."""
    lines = text.splitlines()
    errors: list[ConfigError] = []
    attempts = MAX_SYNTAX_ERRORS if len(text) < RETRY_BELOW_BYTES else 1
    for _ in range(attempts):
        loader = _Loader("\n".join(lines) + ("\n" if text.endswith("\n") else ""))
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            context = getattr(exc, "context_mark", None)
            if (
                context is not None
                and "expected ','" in problem
                and mark is not None
                and context.line != mark.line
                and mark.line < len(lines)
            ):
                mark = context  # an unclosed [ or {: the broken line is where it opened
            if mark is None or not (0 <= mark.line < len(lines)) or not lines[mark.line].strip():
                # The error is at the end or between lines: nothing left to blank out.
                line = mark.line + 1 if mark is not None else None
                where = f"line {line}, column {mark.column + 1}" if mark is not None else "file"
                hint = _syntax_hint(problem, "")
                errors.append(ConfigError(where, f"not valid YAML: {problem}", line=line, hint=hint))
                break
            bad = lines[mark.line]
            errors.append(
                ConfigError(
                    f"line {mark.line + 1}, column {mark.column + 1}",
                    f"not valid YAML: {problem}",
                    line=mark.line + 1,
                    hint=_syntax_hint(problem, bad),
                )
            )
            lines[mark.line] = ""
            continue
        finally:
            loader.dispose()
        if errors:
            return None, _unique_lines(errors), []
        return data, [], loader.duplicates
    return None, _unique_lines(errors), []


def _unique_lines(errors: list[ConfigError]) -> list[ConfigError]:
    seen: set[int | None] = set()
    out = []
    for error in sorted(errors, key=lambda e: e.line or 0):
        if error.line not in seen:
            seen.add(error.line)
            out.append(error)
    return out


def _syntax_hint(problem: str, line: str) -> str:
    """What usually fixes this kind of YAML mistake."""
    value = line.split(":", 1)[1].strip() if ":" in line else line.strip()
    if "\t" in line or "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        if not value:
            return "quote the value"
        return f'quote this value: "{value}" (a colon followed by a space starts a new setting)'
    if "found character '@'" in problem or "found character '`'" in problem or "cannot start any token" in problem:
        return f'quote this value: "{value}"'
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "close the list with ] (or write one item per line, each starting with '- ')"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "check the indentation: items of one section line up under each other"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return f'quote this value: "{value}"'
    return "quote the value if it contains a colon, # or starts with a special character"


def _located(errors: list[ConfigError], text: str) -> list[ConfigError]:
    """Each error with the line it is on, and a hint where one helps (issue #21 point 6)."""
    lines = text.splitlines()
    out = []
    for error in errors:
        line = error.line or _line_of(error.path, lines)
        hint = error.hint or _value_hint(error.message)
        out.append(ConfigError(error.path, error.message, line=line, hint=hint))
    return out


def _line_of(path: str, lines: list[str]) -> int | None:
    """The line of a YAML path: each part found in turn below the previous one."""
    if path.startswith("line "):
        return None
    start = 0
    found = None
    for part in path.split("."):
        key = part.split("[")[0]
        for number in range(start, len(lines)):
            stripped = lines[number].strip().lstrip("- ").strip()
            if stripped.startswith(f"{key}:") or stripped.startswith(f'"{key}":'):
                found, start = number + 1, number + 1
                break
    return found


def _value_hint(message: str) -> str:
    if "expected text" in message and "got" in message and not message.endswith("an empty value"):
        tail = message.rsplit("got ", 1)[-1]
        if tail and (tail[0].isdigit() or tail in ("true", "false")):
            return f'quote this value: "{tail}" (YAML reads it as a number or yes/no)'
    if "expected a date" in message:
        return "write the date as YYYY-MM-DD, e.g. 2025-09-01"
    if "expected a year and month" in message:
        return "write YYYY-MM (e.g. 2025-09) or a full date YYYY-MM-DD"
    return ""


def load_yaml_bytes(data: bytes) -> tuple[dict[str, Any], list[ConfigError]]:
    """``load_yaml`` for an uploaded or read file: refuses binary, oversized or non-UTF-8 input clearly."""
    if len(data) > MAX_FILE_BYTES:
        return {}, [ConfigError("file", f"too large for a policy configuration ({len(data)} bytes)")]
    if b"\x00" in data:
        return {}, [ConfigError("file", "this is a binary file, not a YAML text file")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [ConfigError("file", "not UTF-8 text; save the file as UTF-8 YAML")]
    return load_yaml(text)


def exportable(config: dict[str, Any], *, school_name: str = "") -> dict[str, Any]:
    """A stored configuration completed for export: every variable present (defaults where the stored
    one predates a variable), and the school's name if the configuration lacks one."""
    full = schema.blank_config()
    full.update(config or {})
    if not full.get("school_name") and school_name:
        full["school_name"] = school_name
    return full


def _walk(
    data: dict[Any, Any],
    tree: dict[str, Any],
    prefix: str,
    flat: dict[str, Any],
    effective: dict[str, str],
    errors: list[ConfigError],
    *,
    top: bool = False,
) -> None:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if top and key in _TOP_LEVEL_EXTRA:
            continue
        node = tree.get(key) if isinstance(key, str) else None
        if node is None:
            options = list(tree) + (list(_TOP_LEVEL_EXTRA) if top else [])
            errors.append(ConfigError(path, f"unknown setting{suggest(str(key), options)}"))
            continue
        if isinstance(node, dict):
            if value is None:
                continue  # an empty section: everything in it keeps its default
            if not isinstance(value, dict):
                errors.append(ConfigError(path, f"expected a section of settings; got {show(value)}"))
                continue
            _walk(value, node, path + ".", flat, effective, errors)
            continue
        var: schema.Variable = node
        if isinstance(value, dict):  # the dated form {value: X, effective_from: date}
            value = _unwrap_dated(value, path, var, effective, errors)
        value = _normalise(value)
        if var.type == "contact[]" and isinstance(value, list):
            value = [_full_contact(c) for c in value]
        flat[var.name] = value


def _full_contact(contact: Any) -> Any:
    """Contacts always carry every field in the flat form; empty ones are left out of the file."""
    if not isinstance(contact, dict):
        return contact
    full: dict[str, Any] = dict.fromkeys(_CONTACT_ORDER, "")
    full["last_verified"] = None
    full.update(contact)
    return full


_MISSING = object()


def _unwrap_dated(
    value: dict[Any, Any], path: str, var: schema.Variable, effective: dict[str, str], errors: list[ConfigError]
) -> Any:
    for key in value:
        if key not in ("value", "effective_from"):
            errors.append(
                ConfigError(
                    f"{path}.{key}",
                    f"a dated value has only value and effective_from{suggest(str(key), ['value', 'effective_from'])}",
                )
            )
    if "value" not in value:
        errors.append(ConfigError(path, "a dated value needs value: as well as effective_from:"))
    when = _normalise(value.get("effective_from", _MISSING))
    if when is _MISSING:
        errors.append(
            ConfigError(f"{path}.effective_from", "a dated value needs effective_from: (a date such as 2025-09-01)")
        )
    else:
        effective[var.name] = when  # checked by validate()
    return value.get("value")


def _normalise(value: Any) -> Any:
    """YAML dates become ISO strings so the flat configuration is JSON-friendly."""
    if isinstance(value, dt.datetime):
        return value.isoformat()  # kept as text so validate() says it should be a plain date
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def _error_order(text: str):
    """Sort errors by where they appear in the file, then by path."""
    lines = text.splitlines()

    def key(error: ConfigError) -> tuple[int, str]:
        if error.path.startswith("line "):
            try:
                return (int(error.path.split()[1].rstrip(",")), error.path)
            except ValueError:
                return (0, error.path)
        leaf = error.path.split(".")[-1].split("[")[0]
        for number, line in enumerate(lines, start=1):
            if line.strip().startswith(leaf + ":"):
                return (number, error.path)
        return (len(lines) + 1, error.path)

    return key


# --- writing -------------------------------------------------------------------------------------------


class _FlowList(list):
    """A list written on one line, for clause references."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write &anchors, even for shared lists
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # type: ignore[override]
        return super().increase_indent(flow, False)  # indent list items under their key


_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))

_CONTACT_ORDER = ("name", "role", "email", "phone", "url", "last_verified")


def dump_yaml(flat: dict[str, Any]) -> str:
    """The YAML file for a flat configuration: deterministic, commented by section (GOV-24)."""
    effective = flat.get(schema.EFFECTIVE_DATES_KEY) or {}
    doc: dict[str, Any] = {schema.FORMAT_KEY: schema.FORMAT_VERSION}
    if flat.get(schema.PRESET_KEY):
        doc[schema.PRESET_KEY] = flat[schema.PRESET_KEY]
    for var in schema.VARIABLES:
        value = _for_yaml(var, flat.get(var.name, var.default))
        if var.name in effective:
            value = {"value": value, "effective_from": _as_date(effective[var.name])}
        node = doc
        *parents, leaf = var.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    for key in _PASSED_THROUGH:
        if flat.get(key):
            doc[key] = flat[key]
    clauses = flat.get(schema.CLAUSES_KEY) or {}
    doc[schema.CLAUSES_KEY] = {
        row: _FlowList(clauses[row]) for row in sorted(clauses, key=lambda r: schema.row_sort_key(str(r)))
    }
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    return _header(flat) + _comment_sections(body)


def dump_diff_from_preset(flat: dict[str, Any]) -> str:
    """Only what a school changed from its preset (``policy_export --diff-from-preset``, issue #21).

    Reading the output back gives the same flat configuration as the full file."""
    name = flat.get(schema.PRESET_KEY)
    if not name:
        raise ValueError("this configuration names no preset")
    base = presets.flat_of(str(name))
    effective = flat.get(schema.EFFECTIVE_DATES_KEY) or {}
    doc: dict[str, Any] = {schema.FORMAT_KEY: schema.FORMAT_VERSION, schema.PRESET_KEY: name}
    for var in schema.VARIABLES:
        value = flat.get(var.name, var.default)
        if value == base.get(var.name) and var.name not in effective:
            continue
        value = _for_yaml(var, value)
        if var.name in effective:
            value = {"value": value, "effective_from": _as_date(effective[var.name])}
        node = doc
        *parents, leaf = var.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    for key in _PASSED_THROUGH:
        mine, theirs = flat.get(key) or {}, base.get(key) or {}
        changed = {k: v for k, v in mine.items() if theirs.get(k) != v}
        changed.update({k: None for k in theirs if k not in mine})
        if changed:
            doc[key] = changed
    mine_c, theirs_c = flat.get(schema.CLAUSES_KEY) or {}, base.get(schema.CLAUSES_KEY) or {}
    rows = {r for r in set(mine_c) | set(theirs_c) if mine_c.get(r, []) != theirs_c.get(r, [])}
    if rows:
        doc[schema.CLAUSES_KEY] = {
            r: _FlowList(mine_c.get(r, [])) for r in sorted(rows, key=lambda r: schema.row_sort_key(str(r)))
        }
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    return _header(flat) + f"# Only what differs from the preset '{name}'.\n" + _comment_sections(body)


def _for_yaml(var: schema.Variable, value: Any) -> Any:
    if value is None:
        return None
    if var.type in ("date", "month-or-date"):
        return _as_date(value)
    if var.type == "contact[]" and isinstance(value, list):
        return [_contact_for_yaml(c) for c in value]
    if isinstance(value, list):
        return list(value)
    return value


def _contact_for_yaml(contact: Any) -> Any:
    if not isinstance(contact, dict):
        return contact
    out = {k: contact[k] for k in _CONTACT_ORDER if contact.get(k) not in (None, "")}
    if "last_verified" in out:
        out["last_verified"] = _as_date(out["last_verified"])
    out.update({k: v for k, v in contact.items() if k not in _CONTACT_ORDER})
    return out


def _as_date(value: Any) -> Any:
    if is_iso_date(value):
        return dt.date.fromisoformat(value)
    return value


def _header(flat: dict[str, Any]) -> str:
    name = flat.get("school_name") or "a school"
    return (
        f"# Harbour policy configuration: {name}\n"
        "# Every setting is explained on the school's policy schema page in Harbour.\n"
        "# 'null' means the policy does not say. A value may carry its own start date:\n"
        "#   setting: {value: ..., effective_from: 2025-09-01}\n"
        "# 'clauses' maps each requirement ID to this school's own clause numbers.\n"
    )


def _comment_sections(body: str) -> str:
    titles = dict(schema.SECTIONS)
    titles[schema.CLAUSES_KEY] = "Clause map: requirement ID -> the policy's own clause references"
    out: list[str] = []
    for line in body.splitlines():
        key = line.split(":", 1)[0]
        if not line.startswith(" ") and key in titles:
            out.append("")
            out.append(f"# {titles[key]}")
        out.append(line)
    return "\n".join(out) + "\n"
