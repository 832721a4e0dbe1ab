from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "harbour.audit"
    label = "audit"

    def ready(self) -> None:
        # Each app's audit_doors module says which of its records an actor may open; the audit
        # selectors show an event about a record only to those people (harbour.audit.doors).
        from harbour.audit import doors

        doors.discover()
