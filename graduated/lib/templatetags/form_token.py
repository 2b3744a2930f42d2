"""``{% form_token %}``: what every POST form carries, in place of ``{% csrf_token %}``.

A builtin tag library (settings.TEMPLATES), so no ``{% load %}`` is needed. It draws Django's CSRF
input and a one-time token made now, which lets a form sent twice save once (lib/submit_once.py).
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.safestring import SafeString

from graduated.lib.submit_once import FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context: template.Context) -> SafeString:
    # Django's own node, so the CSRF input is exactly what {% csrf_token %} would draw.
    csrf = CsrfTokenNode().render(context)
    return format_html('{}<input type="hidden" name="{}" value="{}">', csrf, FIELD, new_token())
