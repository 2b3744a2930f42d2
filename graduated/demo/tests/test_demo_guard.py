"""`graduated demo` outside development: refused unless forced by a flag that says what it creates."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from graduated.accounts.models import User
from graduated.organisations.models import LocalAuthority


def test_refused_with_debug_off(db: None, settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())
    message = str(refused.value)
    assert "DEBUG is off" in message
    assert "12 demo accounts" in message and "known password" in message and "platform administrator" in message
    assert "--create-demo-accounts-with-known-passwords" in message
    assert (User.objects.count(), LocalAuthority.objects.count()) == (0, 0)


def test_the_flag_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("load_demo", "--help")
    assert "--create-demo-accounts-with-known-passwords" in capsys.readouterr().out


def test_debug_on_needs_no_flag(db: None, settings: Settings) -> None:
    """As under `./dev start` (DEBUG=1). A refused password stops the command just past the guard,
    which shows the guard let it through without the cost of loading the whole demo (the other
    demo tests load it, with the flag)."""
    settings.DEBUG = True
    with pytest.raises(CommandError, match="The demo password is refused"):
        call_command("load_demo", password="short", stdout=StringIO())
