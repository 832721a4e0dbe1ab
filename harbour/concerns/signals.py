"""Hooks for modules that react to concern events without the core services knowing them.

Receivers run inside the service's transaction: anything that leaves the building (email) must
use ``transaction.on_commit``.
"""

from django.dispatch import Signal

# kwargs: concern
concern_reported = Signal()
# kwargs: concern, old_category, actor
concern_recategorised = Signal()
# kwargs: concern, actor
concern_closed = Signal()
