import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page: the keys follow the database, which tests roll back."""
    cache.clear()
    yield
    cache.clear()
