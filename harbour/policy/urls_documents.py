"""Policy pages: documents (one URL module per area, so each has one owner).

All public (``public_school_page``): the school publishes its policy and the pages drawn from it.
Audience pages pass their key as an extra argument, so the URL walk needs no new placeholder.
"""

from django.urls import path

from harbour.policy import views_documents as views

urlpatterns = [
    path("", views.document, name="document"),
    path("document.pdf", views.document_pdf, name="document_pdf"),
    path("document.docx", views.document_docx, name="document_docx"),
    path("documents/", views.document_list, name="document_list"),
]

for _key, _route in (
    ("responsibilities", "responsibilities/"),
    ("visitors", "for/visitors/"),
    ("parents", "for/parents/"),
    ("monitoring-notice", "monitoring-notice/"),
    ("reporting", "reporting/"),
):
    _name = views.PAGE_URL_NAMES[_key].removeprefix("policy:")
    urlpatterns += [
        path(_route, views.audience, {"page": _key}, name=_name),
        path(_route + "document.pdf", views.audience_pdf, {"page": _key}, name=_name + "_pdf"),
    ]
