"""A concern may name several members of staff it is about, in any category (INC-STAFF-05, issue 12).

The single ``Concern.subject_staff`` foreign key becomes a many-to-many through
``ConcernStaffSubject``; each existing link is copied before the old column goes, so no allegation
loses its subject (and nobody named in one gains access to it for a moment).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_subjects(apps, schema_editor):
    Concern = apps.get_model("concerns", "Concern")
    ConcernStaffSubject = apps.get_model("concerns", "ConcernStaffSubject")
    rows = [
        ConcernStaffSubject(concern_id=pk, staff_id=staff_id, added_by_id=reporter_id)
        for pk, staff_id, reporter_id in Concern.objects.filter(old_subject_staff__isnull=False).values_list(
            "pk", "old_subject_staff_id", "reported_by_id"
        )
    ]
    ConcernStaffSubject.objects.bulk_create(rows)
    # Old allegations were routed to the head (or the chair for the head); say so on their receipts.
    Concern.objects.filter(old_subject_staff__isnull=False).update(routed_to="head")


def copy_back(apps, schema_editor):
    Concern = apps.get_model("concerns", "Concern")
    ConcernStaffSubject = apps.get_model("concerns", "ConcernStaffSubject")
    for link in ConcernStaffSubject.objects.order_by("concern_id", "-id"):
        Concern.objects.filter(pk=link.concern_id).update(old_subject_staff_id=link.staff_id)


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0002_notification_link"),
        ("people", "0002_importbatch"),
        ("schools", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="concern", old_name="subject_staff", new_name="old_subject_staff"),
        migrations.AlterField(
            model_name="concern",
            name="old_subject_staff",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.staffmember",
            ),
        ),
        migrations.AddField(
            model_name="concern",
            name="routed_to",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.CreateModel(
            name="ConcernStaffSubject",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "concern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_subjects",
                        to="concerns.concern",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.staffmember"
                    ),
                ),
            ],
            options={
                "ordering": ["added_at", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("concern", "staff"), name="one_subject_link_per_staff")
                ],
            },
        ),
        migrations.RunPython(copy_subjects, copy_back),
        migrations.RemoveField(model_name="concern", name="old_subject_staff"),
        migrations.AddField(
            model_name="concern",
            name="subject_staff",
            field=models.ManyToManyField(
                blank=True,
                related_name="concerns_about",
                through="concerns.ConcernStaffSubject",
                to="people.staffmember",
            ),
        ),
        migrations.CreateModel(
            name="AllegationRoute",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "second_route",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("trust_lead", "The trust's safeguarding lead"),
                            ("lado", "The LADO (local authority designated officer)"),
                        ],
                        max_length=20,
                    ),
                ),
                ("lado_email", models.EmailField(blank=True, max_length=254)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "school",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allegation_route",
                        to="schools.school",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="concernentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reported", "Reported"),
                    ("note", "Note"),
                    ("acknowledged", "Acknowledged"),
                    ("risk", "Risk graded"),
                    ("category", "Category changed"),
                    ("decision", "Decision"),
                    ("referral", "Referral"),
                    ("consultation", "Advice sought"),
                    ("parents", "Parents and carers"),
                    ("checklist", "Checklist step"),
                    ("attachment", "Attachment"),
                    ("share", "Shared"),
                    ("subject", "About a member of staff"),
                    ("escalation", "Escalated"),
                    ("amendment", "Correction"),
                    ("closed", "Closed"),
                    ("reopened", "Reopened"),
                ],
                max_length=20,
            ),
        ),
    ]
