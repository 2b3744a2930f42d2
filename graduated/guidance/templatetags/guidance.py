"""Guidance text for templates: ``{{ version.body|markup }}`` renders the Markdown subset safely."""

from django import template
from django.utils.safestring import SafeString

from graduated.lib import markup as markup_module

register = template.Library()


@register.filter
def markup(text: str) -> SafeString:
    return markup_module.render(text or "")
