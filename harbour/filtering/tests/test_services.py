"""Register and breach services: audited, append-only, clear errors (FLT-01..11, INC-FILT-03..08)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern, Notification
from harbour.core.tests.crafted_files import clean_pdf
from harbour.filtering import breach_steps, breaches, services, services_checks
from harbour.filtering.models import Arrangement, Breach, BreachEntry, Check, Decision, NoticeAcknowledgement, UserGroup
from harbour.filtering.tests.helpers import ADDRESS, check, report

pytestmark = pytest.mark.django_db

# A real, complete PDF: the upload guard parses it (issue #13); a bare header no longer passes.
PDF_BYTES = clean_pdf()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_arrangement_change_is_a_new_version_and_audited(world):
    """FLT-01: a change never overwrites; the old version is kept and marked superseded."""
    first = services.arrangement_record(actor=world.technician, filtering_provider="Acme Filter")
    second = services.arrangement_record(actor=world.technician, filtering_provider="Better Filter", dsl=world.dsl)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.filtering_provider == "Acme Filter"
    assert second.replaces_id == first.pk
    assert second.superseded_at is None
    assert Arrangement.objects.filter(school=world.school).count() == 2
    assert AuditEvent.objects.filter(action="filtering.arrangement_record").count() == 2


def test_teacher_cannot_keep_the_register(world):
    """MANAGE_FILTERING_STANDARDS only: technician, DSL, head, SLT."""
    with pytest.raises(PermissionDenied):
        services.arrangement_record(actor=world.teacher, filtering_provider="X")
    with pytest.raises(PermissionDenied):
        check(world.governor)
    services.arrangement_record(actor=world.slt, filtering_provider="X")


def test_role_from_another_school_is_refused(world):
    with pytest.raises(ValidationError):
        services.arrangement_record(actor=world.dsl, senior_lead=world.outsider)


def test_user_group_change_supersedes_the_old_profile(world):
    """FLT-09: the profile says whether social media is reachable; changes are new versions."""
    group = services.user_group_record(
        actor=world.technician, name="KS2", audience="learners", filtering_profile="Education", social_media="blocked"
    )
    newer = services.user_group_record(
        actor=world.technician,
        name="KS2",
        audience="learners",
        filtering_profile="Education",
        social_media="limited",
        replaces_id=group.pk,
    )
    assert UserGroup.objects.get(pk=group.pk).superseded_at is not None
    assert newer.social_media == "limited"
    with pytest.raises(ValidationError):
        services.user_group_record(
            actor=world.technician, name="", audience="x", filtering_profile="", social_media="maybe"
        )


def _decision(world, data: bytes | None, name: str = "risk.pdf") -> Decision:
    return services.decision_record(
        actor=world.head,
        decided_on=date.today(),
        decided_by="Full governing body",
        summary="Keep the education profile.",
        age_and_ability="Stricter for KS1.",
        risk_assessment_summary="Risks reviewed.",
        document_name=name,
        document_data=data,
    )


def test_decision_keeps_a_pdf_or_docx_risk_assessment(world, settings, tmp_path):
    """FLT-02: the risk assessment is attached, stored under a name that says nothing."""
    settings.MEDIA_ROOT = tmp_path
    decision = _decision(world, PDF_BYTES)
    assert decision.document_type == "application/pdf"
    assert decision.document_sha256
    assert "risk" not in decision.document.name
    assert _decision(world, _docx(), "ra.docx").document_type.endswith("wordprocessingml.document")


def test_decision_refuses_a_picture_renamed_pdf(world, settings, tmp_path):
    """FLT-02 with the project's sniffing: what a file is comes from its bytes, not its name."""
    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(ValidationError) as err:
        _decision(world, png, "assessment.pdf")
    assert "PDF or a Word" in str(err.value)
    assert not Decision.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_check_needs_follow_up_when_it_fails_and_corrections_are_new_checks(world):
    """FLT-03: who, when, test, device, group, result, follow-up; never edited."""
    with pytest.raises(ValidationError) as err:
        services_checks.check_record(
            actor=world.technician,
            checked_at=timezone.now(),
            system="filtering",
            method="keyword",
            test_detail="x",
            device="PC",
            result="fail",
        )
    assert "follow_up" in err.value.message_dict
    original = check(world.technician)
    fixed = check(world.technician, corrects_id=original.pk, device="PC 4")
    assert fixed.corrects_id == original.pk
    assert Check.objects.get(pk=original.pk).device == "ICT PC 3"


def test_check_in_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        check(world.technician, days_ago=-2)


def test_review_completes_only_with_every_item_answered(world):
    """FLT-04, GOV-16: the checklist is answered in full and the findings recorded before completion."""
    from harbour.filtering import wording

    review = services_checks.review_start(actor=world.head, trigger="annual")
    with pytest.raises(ValidationError):
        services_checks.review_save(actor=world.head, review=review, answers={}, findings="", complete=True)
    answers = {item.key: {"status": "met", "note": ""} for item in wording.REVIEW_CHECKLIST}
    done = services_checks.review_save(
        actor=world.head, review=review, answers=answers, findings="All in place.", complete=True
    )
    assert done.completed_at is not None
    with pytest.raises(ValidationError):
        services_checks.review_save(actor=world.head, review=done, answers=answers, findings="changed")


def test_triggered_review_needs_to_say_what_prompted_it(world):
    with pytest.raises(ValidationError):
        services_checks.review_start(actor=world.head, trigger="new_technology")
    services_checks.review_start(actor=world.head, trigger="new_technology", trigger_note="Tablets for Year 2")


def test_notice_published_and_acknowledged(world):
    """FLT-06, FLT-07, FLT-10: the notice says activity is traceable and no filter is perfect."""
    notice = services.notice_publish(actor=world.dsl)
    assert "traced back to the person" in notice.text
    assert "No filter can stop everything" in notice.text
    ack = services.notice_acknowledge(actor=world.teacher)
    assert services.notice_acknowledge(actor=world.teacher).pk == ack.pk
    services.notice_record_acknowledgement(
        actor=world.dsl, person_name="A parent", person_kind="parent", method="paper", acknowledged_on=date.today()
    )
    assert NoticeAcknowledgement.objects.filter(notice=notice).count() == 2
    with pytest.raises(ValidationError):
        services.notice_publish(actor=world.dsl)  # nothing changed


def test_privacy_assessment_is_kept(world):
    """FLT-11."""
    with pytest.raises(ValidationError):
        services.privacy_assessment_record(
            actor=world.dsl, lawful_basis="public_task", retention="", summary="", reviewed_on=date.today()
        )
    services.privacy_assessment_record(
        actor=world.dsl,
        lawful_basis="public_task",
        retention="30 days of raw logs",
        summary="Proportionate.",
        reviewed_on=date.today(),
        dpia_reference="DPIA-7",
    )


def test_usage_review_finding_becomes_a_concern(world):
    """FLT-08: the finding goes to the DSL through the concerns service."""
    review = services_checks.usage_review_record(
        actor=world.dsl,
        period_start=date.today() - timedelta(days=7),
        period_end=date.today(),
        scope="KS2 laptops",
        findings="Repeated searches about self-harm from one login.",
        safeguarding_finding=True,
    )
    concern = services_checks.usage_review_raise_concern(
        actor=world.dsl, review=review, category="other", summary="Searches about self-harm", description="See review."
    )
    review.refresh_from_db()
    assert review.concern_id == concern.pk
    with pytest.raises(ValidationError):
        services_checks.usage_review_raise_concern(
            actor=world.dsl, review=review, category="other", summary="again", description="again"
        )


# --- breaches ----------------------------------------------------------------------------------


def test_staff_report_goes_to_the_first_recipients_with_a_link_only(
    world, settings, django_capture_on_commit_callbacks
):
    """INC-FILT-03: routed to the DSL team and the technician (default); the email has no detail."""
    settings.SITE_URL = "https://harbour.test"
    with django_capture_on_commit_callbacks(execute=True):
        breach = report(world.teacher)
    assert breach.reference.startswith("B-")
    assert breach.status == "new"
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert told == {"dsl@alpha.test", "deputy@alpha.test", "technician@alpha.test"}
    assert mail.outbox, "an email goes out after commit"
    for message in mail.outbox:
        assert "bad-example" not in message.body
        assert "casino" not in message.body
        assert f"/s/alpha/filtering/breaches/{breach.pk}/" in message.body
    assert BreachEntry.objects.filter(breach=breach, kind="reported").exists()


def test_first_recipients_follow_the_school_config(world):
    """INC-FILT-03: filtering_breach_first_recipients decides who hears first."""
    world.school.policy_settings = {"filtering_breach_first_recipients": ["technician"]}
    world.school.save()
    report(world.teacher)
    assert set(Notification.objects.values_list("user__email", flat=True)) == {"technician@alpha.test"}


def test_breach_needs_a_description_and_refuses_another_schools_learner(world):
    with pytest.raises(ValidationError) as err:
        report(world.teacher, what_seen=" ", learner_id=world.other_learner.pk)
    assert {"what_seen", "learner"} <= set(err.value.message_dict)
    assert not Breach.objects.exists()


def test_governor_cannot_report_a_breach(world):
    with pytest.raises(PermissionDenied):
        report(world.governor)


def test_provider_ticket_is_recorded(world):
    """INC-FILT-05: the provider, who was contacted, and the ticket reference."""
    breach = report(world.teacher)
    with pytest.raises(ValidationError):
        breach_steps.breach_pass_to_provider(
            actor=world.technician,
            breach=breach,
            provider_contact="LightSpeed",
            ticket_reference="",
            note="",
            version=breach.version,
        )
    done = breach_steps.breach_pass_to_provider(
        actor=world.technician,
        breach=breach,
        provider_contact="LightSpeed desk",
        ticket_reference="LS-1234",
        note="Asked them to block it.",
        version=breach.version,
    )
    assert done.status == "with_provider"
    assert done.provider_ticket == "LS-1234"
    with pytest.raises(ValidationError, match="changed this breach"):  # the version the DSL saw is stale
        breach_steps.breach_triage(
            actor=world.dsl,
            breach=done,
            category="adult",
            location="classroom",
            device_group="laptop",
            note="",
            version=breach.version,
        )


def test_teacher_cannot_work_a_breach(world):
    breach = report(world.teacher)
    with pytest.raises(PermissionDenied):
        breach_steps.breach_add_note(actor=world.teacher, breach=breach, text="x")


def test_parents_rule_always_blocks_closing_until_recorded(world):
    """INC-FILT-07: Joy Lane's rule — parents always told — is enforced at closing."""
    world.school.policy_settings = {"filtering_breach_parent_notice": "always"}
    world.school.save()
    breach = report(world.teacher, learner_id=world.learner.pk)
    with pytest.raises(ValidationError) as err:
        breach_steps.breach_close(actor=world.dsl, breach=breach, outcome="Blocked.", version=breach.version)
    assert "always told" in str(err.value)
    breach = breach_steps.breach_record_parents(
        actor=world.dsl, breach=breach, told=True, how="Phone call by the DSL", version=breach.version
    )
    closed = breach_steps.breach_close(actor=world.dsl, breach=breach, outcome="Blocked.", version=breach.version)
    assert closed.status == "closed"


def test_believed_illegal_needs_an_agency_report_before_closing(world):
    """INC-FILT-08: the switch prompts the IWF/police/CEOP report, which must be recorded."""
    breach = report(world.teacher)
    breach = breach_steps.breach_set_illegal(
        actor=world.dsl, breach=breach, believed=True, reason="Described as abuse imagery", version=breach.version
    )
    assert breach.believed_illegal
    assert breach_steps.close_blockers(breach)
    breach_steps.breach_record_agency_report(actor=world.dsl, breach=breach, agency="iwf", reference="IWF-99")
    assert not breach_steps.close_blockers(breach)
    with pytest.raises(ValidationError):
        breach_steps.breach_record_agency_report(actor=world.dsl, breach=breach, agency="fbi", reference="1")


def test_breach_becomes_a_concern_through_the_concerns_service(world):
    """INC-FILT-06: the concern is created by concern_report, with the learner linked."""
    breach = report(world.teacher, learner_id=world.learner.pk)
    concern = breach_steps.breach_to_concern(
        actor=world.dsl, breach=breach, category="filtering_breach", summary="Casino advert", version=breach.version
    )
    breach.refresh_from_db()
    assert breach.concern_id == concern.pk
    assert concern.involvements.filter(learner=world.learner).exists()
    assert Concern.objects.get(pk=concern.pk).steps.exists(), "the concern got its checklist"
    with pytest.raises(ValidationError):
        breach_steps.breach_to_concern(
            actor=world.dsl, breach=breach, category="filtering_breach", summary="again", version=breach.version
        )


def test_external_reference_and_amendment_are_logged(world):
    """INC-FILT-04 and append-only corrections."""
    breach = report(world.teacher)
    breach = breach_steps.breach_set_external_reference(
        actor=world.dsl, breach=breach, system="MyConcern", reference="MC-77", version=breach.version
    )
    entry = breach.entries.get(kind="external")
    amendment = breach_steps.breach_amend_entry(actor=world.dsl, entry=entry, text="MC-78", reason="typo")
    assert amendment.amends_id == entry.pk
    assert BreachEntry.objects.filter(breach=breach).count() == 3


def test_breach_from_alert_takes_plain_data(world):
    """INC-FILT-03/06: the monitoring app's door — plain data in, a breach out."""
    breach = breaches.breach_create_from_alert(
        actor=world.dsl,
        school=world.school,
        alert_summary={
            "category": "gambling",
            "person_label": "pupil7",
            "first_seen": (timezone.now() - timedelta(hours=2)).isoformat(),
            "host": "casino.example",
            "alert_id": 42,
            "count": 5,
        },
    )
    assert breach.source == "alert"
    assert breach.category == "gambling"
    assert breach.alert_id == 42
    assert breach.address == "casino.example"
    assert breach.user_label == "pupil7"
    with pytest.raises(PermissionDenied):
        breaches.breach_create_from_alert(actor=world.outsider, school=world.school, alert_summary={})
    with pytest.raises(ValidationError):
        breaches.breach_create_from_alert(actor=world.dsl, school=world.school, alert_summary={"category": "x"})


def test_address_is_kept_as_typed(world):
    breach = report(world.teacher)
    assert breach.address == ADDRESS
