from django.apps import AppConfig


class AssessmentRequestsConfig(AppConfig):
    """A school's request for an EHC needs assessment: built from the pupil's record, checked against
    the LA's local rules, sent as one evidence bundle to the LA's inbox."""

    name = "graduated.assessment_requests"
