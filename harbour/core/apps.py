from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class CoreConfig(AppConfig):
    name = "harbour.core"
    label = "core"

    def ready(self) -> None:
        from harbour.core import dates

        # First: form fields copy their default validators when a form module is imported.
        dates.install()
        autodiscover_tasks()


def autodiscover_tasks() -> None:
    """Import every Harbour app's ``tasks`` module, so its ``@scheduled`` jobs are registered.

    Without this, a job would only exist in processes that happened to import its module, and the
    scheduler would silently never run it.
    """
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("harbour.") and module_has_submodule(app_config.module, "tasks"):
            import_module(f"{app_config.name}.tasks")
