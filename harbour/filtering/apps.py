from django.apps import AppConfig


class FilteringConfig(AppConfig):
    name = "harbour.filtering"
    label = "filtering"
    verbose_name = "Filtering and monitoring standards"
    default_auto_field = "django.db.models.BigAutoField"
