from django.urls import path

from harbour.people import import_views, views

app_name = "people"

urlpatterns = [
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
]
