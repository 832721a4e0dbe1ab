import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """Login rate limits and already-used TOTP codes live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()
