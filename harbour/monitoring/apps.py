from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "harbour.monitoring"
    label = "monitoring"
    verbose_name = "Filtering and monitoring logs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the post_save receiver that tells the DSL about critical alerts at once.
        from harbour.monitoring import critical  # noqa: F401
