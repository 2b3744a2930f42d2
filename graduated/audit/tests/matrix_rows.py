"""The security log's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

An LA's admins search the security events of their LA's people (VIEW_SECURITY_EVENTS); LA officers
and everyone at a setting get 404, as for any page of an organisation they may not use. The platform
admin searches everyone's, on the platform page and on any LA's page.
"""

from graduated.lib.tests.authorisation_matrix import Row, personas

PLATFORM = personas("platform_admin")

ROWS = [
    Row("audit:security_events", "GET", "none", own=PLATFORM),
    Row("audit:la_security_events", "GET", "la", own=personas("la_admin_north") | PLATFORM, foreign=PLATFORM),
]
