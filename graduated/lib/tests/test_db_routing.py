"""The replica router: reads inside ``from_replica()`` go to the replica, only when one is configured;
writes, migrations and every other read stay on the primary."""

import pytest
from django.conf import settings

from graduated.ehc.models import EHCRequest
from graduated.lib.db_routing import REPLICA, ReplicaRouter, from_replica

ROUTER = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """A replica alias in the settings, as DATABASE_REPLICA_URL gives one."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}})


def test_without_a_replica_every_read_stays_on_the_primary() -> None:
    assert REPLICA not in settings.DATABASES
    with from_replica():
        assert ROUTER.db_for_read(EHCRequest) is None


@pytest.mark.usefixtures("with_replica")
def test_with_a_replica_only_reads_inside_the_block_go_to_it() -> None:
    assert ROUTER.db_for_read(EHCRequest) is None
    with from_replica():
        assert ROUTER.db_for_read(EHCRequest) == REPLICA
        assert ROUTER.db_for_write(EHCRequest) == "default"  # an audit event written there goes to the primary
    assert ROUTER.db_for_read(EHCRequest) is None
    assert ROUTER.allow_migrate("default", "ehc") and not ROUTER.allow_migrate(REPLICA, "ehc")


@pytest.mark.usefixtures("with_replica")
def test_the_block_ends_even_when_the_read_fails() -> None:
    with pytest.raises(ValueError), from_replica():
        raise ValueError("a failed report")
    assert ROUTER.db_for_read(EHCRequest) is None


def test_the_router_is_installed() -> None:
    assert settings.DATABASE_ROUTERS == ["graduated.lib.db_routing.ReplicaRouter"]
