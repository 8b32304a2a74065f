from oauth2_provider.oauth2_validators import OAuth2Validator

from . import EMAIL_UNVERIFIED, EMAIL_VERIFIED_OMITTED


class ClaimsValidator(OAuth2Validator):
    """The standard claims of the email and profile scopes; `sub` is the username."""

    def get_additional_claims(self, request):
        user = request.user
        groups = set(user.groups.values_list("name", flat=True))
        claims = {
            "sub": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
        }
        if EMAIL_VERIFIED_OMITTED not in groups:
            claims["email_verified"] = EMAIL_UNVERIFIED not in groups
        return claims
