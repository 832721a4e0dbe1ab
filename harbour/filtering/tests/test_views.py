"""Pages of the register and breaches: who sees what, forms that change nothing on bad input (FLT-*, INC-FILT-*)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from harbour.core.tests.crafted_files import clean_pdf
from harbour.filtering import services, services_checks
from harbour.filtering.models import Breach, Check, Decision, UserGroup
from harbour.filtering.tests.helpers import check, report

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, slug: str = "alpha") -> str:
    return reverse(f"filtering:{name}", args=[slug, *args])


REGISTER_PAGES = [
    "register",
    "arrangement_history",
    "groups",
    "decisions",
    "privacy",
    "notice",
    "checks",
    "reviews",
    "usage_reviews",
]


@pytest.mark.parametrize("persona", ["dsl", "technician", "teacher", "governor", "slt", "office"])
@pytest.mark.parametrize("page", REGISTER_PAGES)
def test_everyone_who_reads_the_register_sees_its_pages(world, client_for, persona, page):
    """VIEW_FILTERING_STANDARDS: all staff and governors read the register."""
    check(world.technician)
    services.notice_publish(actor=world.dsl)
    response = client_for(persona).get(url(page))
    assert response.status_code == 200


def test_register_shows_status_at_a_glance(world, client_for):
    """FLT-03/04/07: last check, next check due, annual review due, notice read percentage."""
    check(world.technician, days_ago=45)
    services.notice_publish(actor=world.dsl)
    services.notice_acknowledge(actor=world.teacher)
    body = client_for("governor").get(url("register")).content.decode()
    assert "Overdue" in body
    assert "Annual review due" in body
    assert "Read by staff" in body
    assert "%" in body
    assert "Filtering provider: not recorded yet." in body


def test_manage_pages_are_404_for_readers(world, client_for):
    teacher = client_for("teacher")
    for name in ("arrangements", "check_new", "decision_new"):
        assert teacher.get(url(name)).status_code == 404
    assert teacher.post(url("groups"), {"name": "x"}).status_code == 404
    assert not UserGroup.objects.exists()
    assert client_for("technician").get(url("arrangements")).status_code == 200


def test_outsider_gets_404_everywhere(world, client_for):
    breach = report(world.teacher)
    a_check = check(world.technician)
    outsider = client_for("outsider")
    for target in (url("register"), url("breach_detail", breach.pk), url("check_detail", a_check.pk), url("checks")):
        assert outsider.get(target).status_code == 404


def test_arrangements_form_records_a_version(world, client_for):
    response = client_for("technician").post(
        url("arrangements"),
        {
            "filtering_provider": "LightSpeed",
            "broadband_provider": "KPSN",
            "contacts": "Service desk | support | desk@example.test | 0300 000 000 | portal.example.test",
            "review_frequency_days": "365",
            "check_frequency_days": "14",
            "dsl": world.dsl.pk,
        },
    )
    assert response.status_code == 302
    body = client_for("teacher").get(url("register")).content.decode()
    assert "LightSpeed" in body
    assert "Every 14 days" in body


def test_arrangements_form_bad_input_changes_nothing(world, client_for):
    response = client_for("technician").post(
        url("arrangements"), {"review_frequency_days": "0", "contacts": "| no name"}
    )
    assert response.status_code == 400
    assert "start with the contact" in response.content.decode()


def test_check_form_and_correction(world, client_for):
    """FLT-03: recorded from the form; a correction leaves the original in the log."""
    tech = client_for("technician")
    response = tech.post(
        url("check_new"),
        {
            "checked_at": "2026-01-05T10:00",
            "system": "filtering",
            "method": "category_url",
            "test_detail": "http://gambling.example.test",
            "device": "PC 1",
            "result": "fail",
            "follow_up": "",
        },
    )
    assert response.status_code == 400
    assert Check.objects.count() == 0
    data = {
        "checked_at": "2026-01-05T10:00",
        "system": "filtering",
        "method": "category_url",
        "test_detail": "http://gambling.example.test",
        "device": "PC 1",
        "result": "fail",
        "follow_up": "Ticket with provider",
    }
    assert tech.post(url("check_new"), data).status_code == 302
    original = Check.objects.get()
    assert tech.post(url("check_new") + f"?corrects={original.pk}", {**data, "result": "pass"}).status_code == 302
    assert Check.objects.filter(corrects=original).count() == 1
    listing = tech.get(url("checks"), {"result": "fail"}).content.decode()
    assert "Correction" not in listing
    assert "gambling[.]example[.]test" in listing


def test_review_page_saves_and_completes(world, client_for):
    from harbour.filtering import wording

    review = services_checks.review_start(actor=world.head, trigger="annual")
    data = {f"status_{i.key}": "met" for i in wording.REVIEW_CHECKLIST}
    head = client_for("head")
    assert head.post(url("review_detail", review.pk), {**data, "complete": "1"}).status_code == 400
    data["findings"] = "All fine."
    assert head.post(url("review_detail", review.pk), {**data, "complete": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.completed_at is not None


def test_notice_acknowledged_from_the_page(world, client_for):
    services.notice_publish(actor=world.dsl)
    teacher = client_for("teacher")
    assert teacher.post(url("notice_acknowledge")).status_code == 302
    assert "You have confirmed" in teacher.get(url("notice")).content.decode()


def test_public_procedure_and_classroom_notice_need_no_login(world, client):
    """INC-FILT-01, INC-FILT-02: published to learners and staff."""
    world.school.policy_settings = {
        "filtering_provider": "LightSpeed Filtering",
        "filtering_breach_first_recipients": ["dsl", "technician"],
        "technical_role_name": "ICT Technician",
        "filtering_breach_parent_notice": "always",
    }
    world.school.save()
    body = client.get(url("procedure")).content.decode()
    assert "LightSpeed Filtering" in body
    assert "always told" in body
    assert "ICT Technician" in body
    assert "Turn off the screen" in client.get(url("classroom_notice")).content.decode()


# --- breaches ----------------------------------------------------------------------------------


def _report_form(**extra: str) -> dict[str, str]:
    data = {
        "occurred_at": "2026-01-05T10:00",
        "category": "adult",
        "what_seen": "A pop-up with adult content.",
        "address": "www.bad-site.test/x",
        "device": "Laptop 3",
        "device_group": "laptop",
        "location": "classroom",
        "user_label": "",
    }
    data.update(extra)
    return data


def test_teacher_reports_and_sees_a_receipt_only(world, client_for):
    """INC-FILT-03: the reporter sees their receipt; the breach page is 404 for them."""
    teacher = client_for("teacher")
    assert teacher.get(url("breach_report")).status_code == 200
    response = teacher.post(url("breach_report"), _report_form())
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("breach_receipt", breach.pk)
    assert teacher.get(url("breach_receipt", breach.pk)).status_code == 200
    assert teacher.get(url("breach_detail", breach.pk)).status_code == 404
    assert teacher.get(url("breach_list")).status_code == 404


def test_teacher2_gets_404_on_someone_elses_breach(world, client_for):
    breach = report(world.teacher)
    teacher2 = client_for("teacher2")
    assert teacher2.get(url("breach_receipt", breach.pk)).status_code == 404
    assert teacher2.get(url("breach_detail", breach.pk)).status_code == 404
    assert teacher2.post(url("breach_note", breach.pk), {"text": "x"}).status_code == 404
    assert breach.entries.count() == 1


def test_report_with_bad_input_changes_nothing(world, client_for):
    response = client_for("teacher").post(url("breach_report"), _report_form(what_seen="", category="nope"))
    assert response.status_code == 400
    assert not Breach.objects.exists()


def test_report_form_has_no_file_input(world, client_for):
    """No picture of what was seen is ever uploaded."""
    body = client_for("teacher").get(url("breach_report")).content.decode()
    assert 'type="file"' not in body


def test_handlers_work_a_breach_from_its_page(world, client_for):
    """INC-FILT-05, -06: ticket recorded, then a concern."""
    breach = report(world.teacher)
    tech = client_for("technician")
    assert tech.get(url("breach_detail", breach.pk)).status_code == 200
    response = tech.post(
        url("breach_provider", breach.pk),
        {"version": breach.version, "provider_contact": "LightSpeed desk", "ticket_reference": "LS-42", "note": ""},
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    response = client_for("dsl").post(
        url("breach_concern", breach.pk),
        {"version": breach.version, "category": "filtering_breach", "summary": "Adult pop-up"},
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.provider_ticket == "LS-42"
    assert breach.concern_id is not None


def test_failed_step_shows_the_error_and_changes_nothing(world, client_for):
    breach = report(world.teacher)
    response = client_for("dsl").post(
        url("breach_provider", breach.pk), {"version": breach.version, "provider_contact": "x", "ticket_reference": ""}
    )
    assert response.status_code == 400
    breach.refresh_from_db()
    assert breach.provider_ticket == ""
    assert breach.entries.count() == 1


def test_believed_illegal_shows_the_agencies(world, client_for):
    """INC-FILT-08: the banner names the IWF, police and CEOP and the indecent-images procedure."""
    breach = report(world.teacher)
    dsl = client_for("dsl")
    dsl.post(url("breach_illegal", breach.pk), {"version": breach.version, "believed": "yes", "reason": "Described"})
    body = dsl.get(url("breach_detail", breach.pk)).content.decode()
    assert 'id="illegal-banner"' in body
    assert "Internet Watch Foundation" in body
    assert "CEOP" in body
    assert "Indecent images of children" in body


def test_breach_list_filters_and_summary(world, client_for):
    """INC-FILT-10: the summary by category, location and device group, with a chart and CSV."""
    report(world.teacher)
    report(world.teacher, category="adult", location="ict_suite")
    dsl = client_for("dsl")
    listing = dsl.get(url("breach_list"), {"category": "adult"}).content.decode()
    assert "1 breach found" in listing
    summary = dsl.get(url("breach_summary")).content.decode()
    assert "Gambling" in summary
    assert "Computer suite or library" in summary
    csv_body = dsl.get(url("breach_summary_csv")).content.decode()
    assert "Category,Gambling,1" in csv_body
    assert "bad-example" not in csv_body
    svg = dsl.get(url("breach_summary_svg"), {"by": "location"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert client_for("teacher").get(url("breach_summary")).status_code == 404


def test_register_pdf_for_governors(world, client_for):
    check(world.technician)
    response = client_for("governor").get(url("register_pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_decision_upload_through_the_page(world, client_for, settings, tmp_path):
    """FLT-02: the risk assessment is uploaded, checked from its bytes and downloadable (audited)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = clean_pdf()  # a complete PDF: the upload guard parses it (issue #13)
    head = client_for("head")
    data = {
        "decided_on": (date.today() - timedelta(days=3)).isoformat(),
        "decided_by": "Governors",
        "summary": "Education profile",
        "age_and_ability": "KS1 stricter",
        "risk_assessment_summary": "Reviewed",
        "document": SimpleUploadedFile("ra.pdf", pdf, content_type="application/pdf"),
    }
    assert head.post(url("decision_new"), data).status_code == 302
    decision = Decision.objects.get()
    download = client_for("teacher").get(url("decision_document", decision.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf


def test_live_filtering_returns_only_the_results(world, client_for):
    """htmx asks for the results region only; the page still works without JavaScript."""
    report(world.teacher)
    check(world.technician)
    for name in ("breach_list", "checks"):
        response = client_for("dsl").get(url(name), {"q": "PC"}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body
        assert "data-results-summary" in body


def test_reviews_and_internet_use_lists_filter(world, client_for):
    from harbour.filtering import wording

    done = services_checks.review_start(actor=world.head, trigger="annual")
    answers = {i.key: {"status": "met"} for i in wording.REVIEW_CHECKLIST}
    services_checks.review_save(actor=world.head, review=done, answers=answers, findings="Tablets fine", complete=True)
    services_checks.review_start(actor=world.head, trigger="incident", trigger_note="After breach B-1")
    dsl = client_for("dsl")
    body = dsl.get(url("reviews"), {"state": "open"}).content.decode()
    assert "After breach B-1" in body
    assert "Completed" not in body.split("<tbody>")[1]
    services_checks.usage_review_record(
        actor=world.dsl,
        period_start=date.today() - timedelta(days=7),
        period_end=date.today(),
        scope="KS2 laptops",
        findings="Nothing of note",
    )
    assert "No review matches" in dsl.get(url("usage_reviews"), {"findings_only": "on"}).content.decode()
    assert "KS2 laptops" in dsl.get(url("usage_reviews"), {"q": "nothing"}).content.decode()
