"""allauth adapters: only government email addresses may enter, however they arrive."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from . import selectors
from .services.email_domains import NOT_GOVERNMENT_EMAIL, email_domain_is_allowed


class GovernmentAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Refuse addresses outside the allowlist at sign-up and when adding or changing one."""
        email = super().clean_email(email)
        if not email_domain_is_allowed(email):
            raise forms.ValidationError(NOT_GOVERNMENT_EMAIL, code="not_government_email")
        return email

    def post_login(self, request, user, **kwargs):
        """After signing in, prompt a learner whose name or profile is missing to finish it."""
        response = super().post_login(request, user, **kwargs)
        if not selectors.profile_is_complete(user) or not user.get_full_name():
            messages.info(
                request,
                format_html(
                    "Tell us your name, department, grade and profession so that we can put your "
                    "name on your certificates and recommend courses. "
                    '<a class="govuk-notification-banner__link" href="{}">'
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

    def populate_user(self, request, sociallogin, data):
        """Take names only from the given_name and family_name claims.

        allauth would otherwise split the display name at its first space, which guesses wrong
        for many names; a person whose provider sends no names is asked for them instead.
        """
        user = super().populate_user(request, sociallogin, data)
        user.first_name = (data.get("first_name") or "").strip()[:150]
        user.last_name = (data.get("last_name") or "").strip()[:150]
        return user
