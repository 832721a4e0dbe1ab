from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "harbour.monitoring"
    label = "monitoring"
    verbose_name = "Filtering and monitoring logs"
    default_auto_field = "django.db.models.BigAutoField"
