"""The family notices app's rows of the authorisation matrix (graduated/lib/tests/authorisation_matrix.py).

The choice of e-mails is the family member's own: every family persona (each has a live link)
reaches their own page; staff, who have no link, get 404, as on every family page. A child's
timeline is the families app's rule: parent_p1 for P1, parent_p4 for P4 ("foreign"); the parent
of another child (parent_p2) and everyone else get 404.
"""

from graduated.lib.tests.authorisation_matrix import Row, personas

FAMILIES = personas("parent_p1", "parent_p2", "parent_p4", "young_p1", "young_p2")

ROWS = [
    Row("family_notices:preferences", "GET", "none", own=FAMILIES),
    Row("family_notices:preferences", "POST", "none", own=FAMILIES, data={"frequency": "weekly", "short": "on"}),
    Row(
        "family_notices:timeline", "GET", "pupil", own=personas("parent_p1", "young_p1"), foreign=personas("parent_p4")
    ),
]
