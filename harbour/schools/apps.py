from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "harbour.schools"
    label = "schools"
