from django.urls import path

from harbour.people import api

urlpatterns = [
    path("learners/", api.LearnerListAPI.as_view(), name="api-learner-list"),
    path("learners/<int:pk>/", api.LearnerDetailAPI.as_view(), name="api-learner-detail"),
    path("staff/", api.StaffListAPI.as_view(), name="api-staff-list"),
    path("staff/<int:pk>/", api.StaffDetailAPI.as_view(), name="api-staff-detail"),
    path("classes/", api.ClassListAPI.as_view(), name="api-class-list"),
    path("classes/<int:pk>/", api.ClassDetailAPI.as_view(), name="api-class-detail"),
]
