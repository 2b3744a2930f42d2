"""The SEN dashboard's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

"la" is Northshire (own) or Southborough (foreign); "setting" is setting A (own, in Northshire) or C
(foreign, in Southborough). Only the LA's officers and admins see them: every school's staff, the
other LA's officers, professionals and families get 404.
"""

from graduated.lib.tests.authorisation_matrix import Row, personas

NORTH = personas("officer_north", "la_admin_north")
SOUTH = personas("officer_south")

ROWS = [
    Row("oversight:dashboard", "GET", "la", own=NORTH, foreign=SOUTH),
    Row("oversight:dashboard_export", "GET", "la", own=NORTH, foreign=SOUTH),
    Row("oversight:setting", "GET", "setting", own=NORTH, foreign=SOUTH),
    Row("oversight:setting_export", "GET", "setting", own=NORTH, foreign=SOUTH),
]
