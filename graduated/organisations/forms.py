"""Forms for managing the people in a setting or local authority."""

from typing import Any

from django import forms

from graduated.organisations.models import LocalAuthority, Membership, Role, Setting

ROLE_HINTS: dict[str, str] = {
    Role.SENCO: "Sees and changes every pupil's record, and manages the people here.",
    Role.SENIOR_LEADER: "Sees every pupil's record and the SEN register, and changes nothing.",
    Role.TEACHER: "Sees a summary of each pupil a SENCO links them to.",
    Role.TEACHING_ASSISTANT: "Sees a summary of each pupil a SENCO links them to.",
    Role.LA_OFFICER: "Sees figures for the local authority's settings.",
    Role.LA_ADMIN: "Sees the figures, and manages the people in the LA and in its settings.",
}


class RoleChoiceField(forms.ChoiceField):
    def __init__(self, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(
            label="Role",
            choices=[(role.value, role.label) for role in roles],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select a role",
                "invalid_choice": "Select one of the roles listed",
            },
            **kwargs,
        )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter an e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
            "max_length": "E-mail address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, organisation: Setting | LocalAuthority, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"] = RoleChoiceField(roles)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        members = Membership.objects.in_organisation(self.organisation)
        if members.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                f"{email} is already a member of {self.organisation}. "
                "To give them a different role, change their role in the list of members."
            )
        return email


class RoleForm(forms.Form):
    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = RoleChoiceField(roles)
        self.fields["role"].label = "New role"
