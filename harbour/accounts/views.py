"""Filled in next."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


token_list = token_revoke = invitation_accept = member_list = member_invite = member_detail = invitation_revoke = _todo
