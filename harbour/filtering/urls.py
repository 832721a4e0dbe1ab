"""School pages of the filtering app, under /s/<slug>/filtering/."""

from django.urls import path

from harbour.filtering import views, views_breaches, views_checks, views_public

app_name = "filtering"

urlpatterns = [
    path("", views.register, name="register"),
    path("register.pdf", views.register_pdf, name="register_pdf"),
    path("arrangements/", views.arrangements, name="arrangements"),
    path("arrangements/history/", views.arrangement_history, name="arrangement_history"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/document/", views.decision_document, name="decision_document"),
    path("privacy/", views.privacy, name="privacy"),
    path("notice/", views.notice, name="notice"),
    path("notice/publish/", views.notice_publish, name="notice_publish"),
    path("notice/acknowledge/", views.notice_acknowledge, name="notice_acknowledge"),
    path("notice/record/", views.notice_record, name="notice_record"),
    path("checks/", views_checks.checks, name="checks"),
    path("checks/new/", views_checks.check_new, name="check_new"),
    path("checks/<int:pk>/", views_checks.check_detail, name="check_detail"),
    path("reviews/", views_checks.reviews, name="reviews"),
    path("reviews/<int:pk>/", views_checks.review_detail, name="review_detail"),
    path("internet-use/", views_checks.usage_reviews, name="usage_reviews"),
    path("internet-use/<int:pk>/", views_checks.usage_review_detail, name="usage_review_detail"),
    path("breaches/", views_breaches.breach_list, name="breach_list"),
    path("breaches/report/", views_breaches.breach_report, name="breach_report"),
    path("breaches/mine/", views_breaches.breach_receipts, name="breach_receipts"),
    path("breaches/mine/<int:pk>/", views_breaches.breach_receipt, name="breach_receipt"),
    path("breaches/summary/", views_breaches.breach_summary, name="breach_summary"),
    path("breaches/summary.csv", views_breaches.breach_summary_csv, name="breach_summary_csv"),
    path("breaches/summary.svg", views_breaches.breach_summary_svg, name="breach_summary_svg"),
    path("breaches/<int:pk>/", views_breaches.breach_detail, name="breach_detail"),
    *[
        # One named URL per step, so each can be walked and reversed on its own.
        path(f"breaches/<int:pk>/{action}/", views_breaches.breach_action, {"action": action}, name=f"breach_{action}")
        for action in views_breaches.ACTIONS
    ],
    path("procedure/", views_public.procedure, name="procedure"),
    path("classroom-notice/", views_public.classroom_notice, name="classroom_notice"),
]
