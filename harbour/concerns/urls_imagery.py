"""The technician's task list (INC-YPSI-05): tasks without any detail of the concern behind them."""

from django.urls import path

from harbour.concerns import views_imagery as views

urlpatterns = [
    path("technician-tasks/", views.technician_tasks, name="tech_tasks"),
    path("technician-tasks/<int:pk>/done/", views.technician_task_done, name="tech_task_done"),
]
