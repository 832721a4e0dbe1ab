"""The RULE rows that state a duty or a scope rather than answer "may I…?" (policy-questions.md §5),
rendered as short statements for the "Can I…?" guide (GOV-23).

Each statement appears only when the school's clause map holds its row (the school's policy says it),
and cites the school's own clause references. Wording is Harbour's own; names, lists and systems come
from the configuration. A statement may carry a child-friendly version for the learners' guide.

Rows: GOV-10, DEV-GEN-01, DEV-GEN-02, DEV-GEN-08, DEV-STF-01, DEV-STF-06, DEV-OFF-02, SOC-GEN-02,
SOC-STF-07, SOC-OFF-05, SOC-OFF-08, SOC-OFF-12, ACC-06, DPS-01, DPS-08, EML-01, EML-06, LP-05, TOOL-05,
RML-01, RML-02, RML-09, INC-CSAE-04.

Pure module: nothing from Django or from harbour outside ``harbour.policy.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harbour.policy.rules.engine import join_words

STATEMENT_ROWS: tuple[str, ...] = (
    "GOV-10",
    "DEV-GEN-01",
    "DEV-GEN-02",
    "DEV-GEN-08",
    "DEV-STF-01",
    "DEV-STF-06",
    "DEV-OFF-02",
    "SOC-GEN-02",
    "SOC-STF-07",
    "SOC-OFF-05",
    "SOC-OFF-08",
    "SOC-OFF-12",
    "ACC-06",
    "DPS-01",
    "DPS-08",
    "EML-01",
    "EML-06",
    "LP-05",
    "TOOL-05",
    "RML-01",
    "RML-02",
    "RML-09",
    "INC-CSAE-04",
)

ALL = ("staff", "learners", "parents", "visitors")
ADULTS = ("staff", "parents", "visitors")


@dataclass(frozen=True)
class Statement:
    """One statement of the guide: ``topic`` is a vocabulary section id ("4.1") or "general"."""

    row: str
    topic: str
    audiences: tuple[str, ...]
    text: str
    clauses: tuple[str, ...]
    child_text: str = ""

    def text_for(self, audience: str) -> str:
        return self.child_text if audience == "learners" and self.child_text else self.text


@dataclass(frozen=True)
class _Spec:
    row: str
    topic: str
    audiences: tuple[str, ...]
    render: Callable[[Mapping[str, Any]], str | None]  # None: the configuration switches it off
    child: Callable[[Mapping[str, Any]], str] | None = None


def _v(config: Mapping[str, Any], name: str, default: Any = None) -> Any:
    value = config.get(name)
    return default if value in (None, "", []) else value


def _school(config: Mapping[str, Any]) -> str:
    return str(_v(config, "school_name", "The school"))


def _owner(config: Mapping[str, Any]) -> str:
    return "the PTA" if config.get("channel_operator") == "pta" else "the school"


def _channels(config: Mapping[str, Any]) -> list[str]:
    key = "pta_channels" if config.get("channel_operator") == "pta" else "official_school_channels"
    return [str(c) for c in _v(config, key, [])]


def _remote(config: Mapping[str, Any], text: str) -> str | None:
    return text if config.get("remote_learning_provisions_enabled") else None


def _gov10(c: Mapping[str, Any]) -> str:
    return (
        f"{_school(c)}'s policy covers learners, parents and carers, and everyone who works for or on behalf of the "
        "school, who are all called “staff” in it: governors, leaders, teachers, support staff, contractors, "
        "visitors and volunteers. It applies on site and off site."
    )


def _dev_gen_02(c: Mapping[str, Any]) -> str:
    kinds = _v(c, "device_types_in_scope", ["phones", "tablets", "games consoles", "smart watches"])
    return (
        "The device rules cover every personal device that can go online, communicate or record, including "
        f"{join_words([str(k) for k in kinds])}."
    )


def _dev_off_02(c: Mapping[str, Any]) -> str:
    criterion = _v(c, "work_phone_issue_criterion", "where a role needs it")
    return f"Staff are given a work phone number and email address {criterion}."


def _soc_off_05(c: Mapping[str, Any]) -> str:
    channels = _channels(c)
    named = f" ({join_words(channels)})" if channels else ""
    purpose = _v(c, "channel_purpose", "their stated purpose")
    return (
        f"The social media channels run by {_owner(c)}{named} are separate, dedicated accounts used only for "
        f"{purpose}. They are kept secure and linked from the school website where possible."
    )


def _acc_06(c: Mapping[str, Any]) -> str:
    year = _v(c, "pupil_accounts_from_year")
    platform = _v(c, "learning_platform")
    text = "Every member of staff has their own username and a private password."
    if year:
        text += f" Every pupil from Year {year} has their own username too"
        text += f" and keeps their {platform} password private." if platform else " and keeps their password private."
    return text


def _acc_06_child(c: Mapping[str, Any]) -> str:
    platform = _v(c, "learning_platform")
    where = f" for {platform}" if platform else ""
    return f"You have your own username{where}. Keep your password secret: it is only for you."


def _rml_02(c: Mapping[str, Any]) -> str | None:
    aup = _v(c, "remote_learning_aup")
    guidance = _v(c, "covid_guidance_cited")
    parts = ["the child protection policy", "the acceptable use policy"]
    if aup:
        parts.append(f"the {aup}")
    if guidance:
        parts.append(f"the government's guidance ({guidance})")
    return _remote(c, f"Learning at home during a full or partial closure follows {join_words(parts)}.")


def _rml_09(c: Mapping[str, Any]) -> str | None:
    aup = _v(c, "remote_learning_aup")
    rules = "the acceptable use policy" + (f" and the {aup}" if aup else "")
    return _remote(c, f"When learners use their own devices to learn at home, they follow {rules}.")


_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "GOV-10",
        "general",
        ALL,
        _gov10,
        lambda c: "These rules are for everyone: children, families and all the grown-ups who work or help at school.",
    ),
    _Spec(
        "DEV-GEN-01",
        "4.1",
        ALL,
        lambda c: (
            "School rules apply to your own phone and devices too: use them within the law and the anti-bullying, "
            "behaviour and child protection policies."
        ),
        lambda c: "School rules still count when you use your own phone or tablet.",
    ),
    _Spec(
        "DEV-GEN-02",
        "4.1",
        ALL,
        _dev_gen_02,
        lambda c: "Tablets, smart watches and games consoles count as devices too, not just phones.",
    ),
    _Spec(
        "DEV-GEN-08",
        "4.1",
        ALL,
        lambda c: (
            "Phones and devices brought into school should hold nothing offensive or unkind, and nothing that "
            "goes against the behaviour or child protection policies."
        ),
        lambda c: "Nothing unkind, rude or upsetting should be on a phone or device you bring to school.",
    ),
    _Spec(
        "DEV-STF-01",
        "4.2",
        ("staff",),
        lambda c: (
            "Staff use their own devices within the law and the confidentiality, child protection, data security "
            "and acceptable use policies."
        ),
    ),
    _Spec(
        "DEV-STF-06",
        "4.2",
        ("staff",),
        lambda c: "Anything staff bring on site on their own devices must suit their professional role.",
    ),
    _Spec("DEV-OFF-02", "4.5", ("staff",), _dev_off_02),
    _Spec(
        "SOC-GEN-02",
        "4.7",
        ALL,
        lambda c: (
            "Everyone is expected to use social media positively and responsibly, and to post nothing "
            "threatening, hurtful or defamatory about anyone."
        ),
        lambda c: "Be kind online. Never post anything that could scare, hurt or upset someone.",
    ),
    _Spec(
        "SOC-STF-07",
        "4.8",
        ("staff",),
        lambda c: "What staff post online must fit their professional role, the school's policies and the law.",
    ),
    _Spec("SOC-OFF-05", "4.10", ADULTS, _soc_off_05),
    _Spec(
        "SOC-OFF-08",
        "4.10",
        ADULTS,
        lambda c: (
            f"Use of {_owner(c)}'s channels follows the anti-bullying, image use, data protection, confidentiality "
            "and child protection policies, and everything said there is clear, open and transparent."
        ),
    ),
    _Spec(
        "SOC-OFF-12",
        "4.10",
        ADULTS,
        lambda c: (
            f"Anything {_owner(c)} shares on social media also reaches families who do not use it, for example by "
            "letter, newsletter or the website."
        ),
    ),
    _Spec("ACC-06", "4.5", ("staff", "learners"), _acc_06, _acc_06_child),
    _Spec(
        "DPS-01",
        "4.5",
        ADULTS,
        lambda c: (
            "Personal information is recorded, used, shared and published only as data protection law allows "
            "(in the UK today, the UK GDPR and the Data Protection Act 2018)."
        ),
    ),
    _Spec(
        "DPS-08",
        "4.5",
        ("staff",),
        lambda c: "Every member of staff is responsible for keeping the systems and data they use secure.",
    ),
    _Spec(
        "EML-01",
        "4.6",
        ("staff",),
        lambda c: (
            "School email is used in line with data protection law and the confidentiality, acceptable use and "
            "code of conduct policies."
        ),
    ),
    _Spec(
        "EML-06",
        "4.6",
        ("staff", "learners"),
        lambda c: (
            "Personal webmail may be blocked in school, and social email use is limited so that it does not get "
            "in the way of teaching and learning."
        ),
        lambda c: "You might not be able to open your own email at school. That helps everyone focus on learning.",
    ),
    _Spec(
        "LP-05",
        "4.5",
        ("staff", "learners", "parents"),
        lambda c: (
            f"Only suitable material is uploaded to {_v(c, 'learning_platform', 'the learning platform')}, and "
            "copyright is respected."
        ),
        lambda c: f"Only put suitable work on {_v(c, 'learning_platform', 'the learning platform')}.",
    ),
    _Spec(
        "TOOL-05",
        "4.5",
        ("staff", "learners"),
        lambda c: "Material from the internet used in school respects copyright and says where it came from.",
        lambda c: "When you use something from the internet in your work, say where you found it.",
    ),
    _Spec(
        "RML-01",
        "4.11",
        ALL,
        lambda c: _remote(c, f"{_school(c)} has arrangements for learning at home during a full or partial closure."),
    ),
    _Spec("RML-02", "4.11", ("staff", "learners", "parents"), _rml_02),
    _Spec("RML-09", "4.11", ("learners", "parents"), _rml_09),
    _Spec(
        "INC-CSAE-04",
        "4.12",
        ADULTS,
        lambda c: (
            "The school acts on online sexual abuse of a child wherever it happened, on or off site, and whatever "
            "device or equipment was used."
        ),
    ),
)


def statements(config: Mapping[str, Any], audience: str | None = None) -> list[Statement]:
    """The statements this school's policy makes, optionally only those meant for ``audience``."""
    clause_map = config.get("clauses") or {}
    out: list[Statement] = []
    for spec in _SPECS:
        refs = tuple(str(r) for r in clause_map.get(spec.row) or ())
        if not refs or (audience is not None and audience not in spec.audiences):
            continue
        text = spec.render(config)
        if not text:
            continue
        child = spec.child(config) if spec.child else ""
        out.append(Statement(spec.row, spec.topic, spec.audiences, text, refs, child))
    return out
