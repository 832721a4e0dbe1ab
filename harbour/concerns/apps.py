from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "harbour.concerns"
    label = "concerns"
