"""Types for the shared fixtures these tests use (see conftest.py)."""

from collections.abc import Callable

from django.test import Client

from graduated.accounts.models import User

# client_for(user): the test client, signed in as ``user``.
ClientFor = Callable[[User], Client]
