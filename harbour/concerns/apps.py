from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "harbour.concerns"
    label = "concerns"

    def ready(self) -> None:
        from harbour.concerns import alert_signals, attachment_signals, checklist_signals  # noqa: F401
        from harbour.concerns import imagery_signals as _imagery_signals  # noqa: F401
