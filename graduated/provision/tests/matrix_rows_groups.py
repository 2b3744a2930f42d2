"""Authorisation-matrix rows for provision mapping's group pages (joined in matrix_rows.py)."""

from collections.abc import Callable
from typing import Any

from graduated.lib.tests.authorisation_matrix import Row

TARGETS: dict[str, Callable[..., Any]] = {}
ROWS: list[Row] = []
