"""A rule in its LA's words, for templates: the methods need the pack, which a template cannot pass."""

from django import template

from graduated.rulepacks.models import LocalRule, RulePack

register = template.Library()


@register.simple_tag
def rule_summary(rule: LocalRule, pack: RulePack) -> str:
    return rule.summary(pack)


@register.simple_tag
def rule_step(rule: LocalRule, pack: RulePack) -> str:
    name = rule.step_name(pack)
    return name[0].upper() + name[1:]


@register.filter
def is_link(reference: str) -> bool:
    return reference.startswith(("https://", "http://"))
