"""allauth adapters: only government email addresses may enter, however they arrive."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms

from .services.email_domains import NOT_GOVERNMENT_EMAIL, email_domain_is_allowed


class GovernmentAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Refuse addresses outside the allowlist at sign-up and when adding or changing one."""
        email = super().clean_email(email)
        if not email_domain_is_allowed(email):
            raise forms.ValidationError(NOT_GOVERNMENT_EMAIL)
        return email


class GovernmentSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """SSO sign-up is open only when the identity provider vouches for a government email."""
        emails = [address.email for address in sociallogin.email_addresses] or [
            sociallogin.user.email
        ]
        return any(email and email_domain_is_allowed(email) for email in emails)
