from django import template

from pakta.audit.registry import action_label

register = template.Library()
register.filter("action_label", action_label)
