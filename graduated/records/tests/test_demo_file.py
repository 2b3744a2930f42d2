"""The example CTF a newcomer imports in the demo: Year 6 leavers of a primary school outside the
demo world, bound for its secondary school."""

from pathlib import Path

from graduated.demo.catalogue import LOCAL_AUTHORITIES, SETTINGS
from graduated.records.census import census_days, census_problems, census_view
from graduated.records.ctf import read_ctf

DEMO_FILE = Path(__file__).parent.parent / "demo_files" / "example.ctf.xml"


def test_the_demo_file_reads_cleanly() -> None:
    result = read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000)
    assert result.is_valid and len(result.pupils) == 5
    assert {pupil.year_group for pupil in result.pupils} == {6}
    provisions = sorted(pupil.current_provision for pupil in result.pupils)
    assert provisions == ["E", "K", "K", "K", "N"]  # one EHC plan, SEN support, one taken off the register


def test_the_demo_file_is_sent_to_the_demo_secondary_school() -> None:
    header = read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000).header
    secondary = next(setting for setting in SETTINGS if setting.key == "secondary")
    assert header.destination is not None
    assert (header.destination.estab, header.destination.urn) == (secondary.establishment, secondary.urn)


def test_the_demo_upns_cannot_clash_with_the_demo_world() -> None:
    """The demo allocates UPNs from its settings' and feeder schools' establishment numbers; the
    example's source school is none of them."""
    header = read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000).header
    used = {setting.establishment for setting in SETTINGS}
    used |= {school for la in LOCAL_AUTHORITIES for school in la.feeder_schools}
    assert header.source.estab not in used
    for pupil in read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000).pupils:
        assert pupil.upn[4:8] == header.source.estab


def test_the_demo_pupils_pass_the_summer_census() -> None:
    summer = census_days(2025)["summer"]
    for pupil in read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000).pupils:
        assert census_problems(pupil, summer) == [], pupil.upn
        assert census_problems(pupil, census_days(2025)["spring"]) == [], pupil.upn
    mateusz = read_ctf(DEMO_FILE.read_bytes(), max_bytes=1_000_000).pupils[1]
    row = census_view(mateusz, summer)
    assert (row.provision, row.primary_need, row.secondary_need) == ("E", "ASD", "SLCN")
