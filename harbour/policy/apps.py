from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "harbour.policy"
    label = "policy"
    verbose_name = "Policy as code"
    default_auto_field = "django.db.models.BigAutoField"
