from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "harbour.audit"
    label = "audit"
