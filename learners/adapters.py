"""allauth adapters: only government email addresses may enter, however they arrive."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from . import selectors, sso
from .services.email_domains import (
    NOT_GOVERNMENT_EMAIL,
    email_domain_is_allowed,
    email_normalise,
)

logger = logging.getLogger(__name__)


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
        # The claim as sent counts too: allauth lower-cases addresses, which would turn a Kelvin
        # sign into a plain "k" and so pass an odd address off as someone's real one.
        emails = [*_sociallogin_emails(sociallogin), _claimed_email(sociallogin)]
        emails = [email for email in emails if email]
        allowed = bool(emails) and all(email_domain_is_allowed(email) for email in emails)
        if not allowed:
            # allauth has already dropped addresses clean_email refuses: log the claim's domain.
            logger.warning(
                "Single sign-on with %s refused: not a government email (claimed domain: %r)",
                sociallogin.provider.sub_id,
                _claimed_email(sociallogin).rpartition("@")[2][:100] or None,
            )
        return allowed

    def populate_user(self, request, sociallogin, data):
        """Take names only from the given_name and family_name claims.

        allauth would otherwise split the display name at its first space, which guesses wrong
        for many names; a person whose provider sends no names is asked for them instead.
        """
        user = super().populate_user(request, sociallogin, data)
        user.first_name = (data.get("first_name") or "").strip()[:150]
        user.last_name = (data.get("last_name") or "").strip()[:150]
        return user

    def is_email_verified(self, provider, email):
        """An email the provider does not mark verified counts as verified only when
        OIDC_TRUST_EMAILS says this provider's addresses are (Entra sends no email_verified)
        and the address is on the allowlist. Otherwise allauth asks the person to confirm it.
        """
        return settings.OIDC_TRUST_EMAILS and email_domain_is_allowed(email)

    def can_authenticate_by_email(self, login, email):
        """Never sign in to an existing account because the provider names its email.

        The owner connects single sign-on from their account page after signing in with their
        password (and second factor); see pre_social_login.
        """
        return False

    def pre_social_login(self, request, sociallogin):
        """Stop a first SSO sign-in whose email already has an account, and say what to do.

        allauth would otherwise show "Confirmation email sent" and email "you already have an
        account", which contradict each other. No email is sent: the page says it all.
        """
        process = sociallogin.state.get("process") or AuthProcess.LOGIN
        if sociallogin.is_existing or process != AuthProcess.LOGIN:
            return
        # allauth drops addresses that already have an account from email_addresses: ask the claim.
        emails = {*_sociallogin_emails(sociallogin), _claimed_email(sociallogin)} - {""}
        if not any(filter_users_by_email(email) for email in emails):
            return
        logger.info(
            "Single sign-on with %s stopped: an account already uses the email; "
            "told to sign in and connect",
            sociallogin.provider.sub_id,
        )
        raise ImmediateHttpResponse(
            render(
                request,
                "socialaccount/account_exists.html",
                {"provider": sociallogin.provider},
                status=200,
            )
        )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Log every failed sign-in with its reason and explain it on a GOV.UK page."""
        failure = sso.describe_failure(error=error, exception=exception, query=request.GET)
        sso.log_failure(provider_id=provider.sub_id, failure=failure)
        if failure.problem == sso.CANCELLED:
            return  # allauth redirects to socialaccount/login_cancelled.html
        raise ImmediateHttpResponse(
            render(
                request,
                "socialaccount/authentication_error.html",
                {"provider": provider, "problem": failure.problem},
                status=failure.status,
            )
        )


def _sociallogin_emails(sociallogin) -> list[str]:
    emails = [address.email for address in sociallogin.email_addresses]
    if sociallogin.user is not None and sociallogin.user.email:
        emails.append(sociallogin.user.email)
    return emails


def _claimed_email(sociallogin) -> str:
    """The email claim as the OpenID provider sent it (userinfo, else the ID token)."""
    extra = sociallogin.account.extra_data or {}
    return str((extra.get("userinfo") or extra.get("id_token") or extra).get("email") or "")
