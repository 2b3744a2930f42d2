"""The one convention for a service that refuses a change.

A service function raises a ``ServiceError`` (or a subclass of it: ``EHCError``, ``FundingError``,
``StaleEditError``, ...) whose ``message`` is written for the person who asked, and nothing is
changed: services run in one transaction, which the error rolls back. Views catch ``ServiceError``
and send the form back with the message (``graduated.lib.forms.show_refusal``), with a 4xx.

A rule about one value a person typed, checked again by the service because the stored record may
have moved on, is a Django ``ValidationError`` keyed by the form's field, as a form would raise it:
the view puts it beside that field. Everything else a service refuses is a ``ServiceError``.
"""


class ServiceError(Exception):
    """A change the rules refuse; ``message`` is written for the person who asked."""

    default_message = "This change could not be made. Nothing was saved."

    def __init__(self, message: str = "") -> None:
        self.message = message or self.default_message
        super().__init__(self.message)
