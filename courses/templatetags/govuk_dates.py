"""Template filters for times in GOV.UK style: {% load govuk_dates %} {{ when|govuk_datetime }}."""

from django import template

from courses import dates

register = template.Library()

register.filter("govuk_time", dates.govuk_time)
register.filter("govuk_date", dates.govuk_date)
register.filter("govuk_datetime", dates.govuk_datetime)
