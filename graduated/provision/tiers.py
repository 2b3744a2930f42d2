"""The words an LA uses for the tiers of provision. The codes (universal, targeted, specialist)
stay fixed so that figures compare across settings and LAs; only the names shown change."""

from graduated.provision.models import Tier, TierName


def tier_names(local_authority_id: int | None) -> dict[str, str]:
    """Tier code -> the name to show in that LA: its own where it set one, else the default. 1 query."""
    names = {tier.value: str(tier.label) for tier in Tier}
    if local_authority_id is not None:
        names.update(TierName.objects.filter(local_authority_id=local_authority_id).values_list("tier", "name"))
    return names
