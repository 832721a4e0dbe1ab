"""Reporting API under /api/v1/schools/<school_slug>/: categories, concerns, the caller's receipts."""

from django.urls import path

from harbour.concerns import api_reporting_views as views

urlpatterns = [
    path("concern-categories/", views.ConcernCategoryListAPI.as_view(), name="api-concern-category-list"),
    path("concerns/", views.ConcernListCreateAPI.as_view(), name="api-concern-list"),
    path("concerns/<int:pk>/", views.ConcernDetailAPI.as_view(), name="api-concern-detail"),
    path("concern-receipts/", views.ReceiptListAPI.as_view(), name="api-concern-receipt-list"),
    path("concern-receipts/<int:pk>/", views.ReceiptDetailAPI.as_view(), name="api-concern-receipt-detail"),
]
