"""Policy pages: the "Can I…?" guide (GOV-23), one page per audience.

The staff guide needs a sign-in to the school; the learners', parents' and visitors' guides are what the
school publishes to everyone, so they answer without one.
"""

from django.urls import path

from harbour.policy import views_guide

urlpatterns = [
    path("can-i/", views_guide.staff_guide, name="guide_staff"),
    path("can-i/learners/", views_guide.learners_guide, name="guide_learners"),
    path("can-i/parents/", views_guide.parents_guide, name="guide_parents"),
    path("can-i/visitors/", views_guide.visitors_guide, name="guide_visitors"),
]
