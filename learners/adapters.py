"""allauth adapters: only government email addresses may enter, however they arrive."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from . import selectors
from .services.email_domains import (
    NOT_GOVERNMENT_EMAIL,
    email_domain_is_allowed,
    email_normalise,
)


class GovernmentAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Sign-up, adding or changing an address, and the SSO sign-up form: the plain form of
        the address (or a clear refusal), and only inside the allowlist.
        """
        email = email_normalise(super().clean_email(email))
        if not email_domain_is_allowed(email):
            raise forms.ValidationError(NOT_GOVERNMENT_EMAIL, code="not_government_email")
        return email

    def post_login(self, request, user, **kwargs):
        """After signing in, prompt a learner whose profile is incomplete to finish it."""
        response = super().post_login(request, user, **kwargs)
        if not selectors.profile_is_complete(user):
            messages.info(
                request,
                format_html(
                    "Tell us your department, grade and profession so that we can recommend "
                    'courses. <a class="govuk-notification-banner__link" href="{}">'
                    "Complete your profile</a>.",
                    reverse("learners:profile"),
                ),
                extra_tags="profile-incomplete",
            )
        return response


class GovernmentSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """SSO sign-up is open only when the identity provider vouches for a government email.

        When it is closed allauth renders account/signup_closed.html, which says why.
        """
        emails = [address.email for address in sociallogin.email_addresses]
        if sociallogin.user is not None and sociallogin.user.email:
            emails.append(sociallogin.user.email)
        return bool(emails) and all(email_domain_is_allowed(email) for email in emails)
