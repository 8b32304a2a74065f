"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit with OIDC.

It runs as its own process (`python -m tests.sso_provider`) on a loopback port, with its own
SQLite database, an RS256 key made at start, discovery, JWKS, PKCE and a consent page: the site
talks to it over HTTP exactly as it would to Microsoft Entra ID.
"""

# Group names at the provider that change the email_verified claim of their members.
EMAIL_UNVERIFIED = "email_verified:false"
EMAIL_VERIFIED_OMITTED = "email_verified:omitted"  # as Microsoft Entra ID does
