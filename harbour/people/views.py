"""Filled in next."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


learner_list = learner_detail = class_list = class_detail = staff_list = _todo
