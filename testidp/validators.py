"""The claims a municipal identity provider sends: username, name, e-mail and groups."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class GroupsValidator(OAuth2Validator):
    # Every claim goes to every client that asks for openid; this provider has one client.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "groups": [group.name for group in user.groups.all()],
        }
