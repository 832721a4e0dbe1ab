from harbour.audit.api import urlpatterns

__all__ = ["urlpatterns"]
