"""Who may see which of the child's statements. The one rule, used by every page, export and
API that shows statements: parents never see a statement marked "not the parents"."""

from django.db.models import Q

from accounts.models import Role
from cases.models import ContributorRole
from conversations.models import Visibility


def statement_filter(user, child) -> Q:
    """A filter on Statement for what this user may see of this child's statements (the caller
    has already checked that the user may see the child at all)."""
    if user.role in (Role.CASEWORKER, Role.TEAM_LEADER, Role.HEAD_OF_DEPARTMENT):
        return Q()  # staff on the case see everything the child said, with its mark
    if user.role == Role.CONTRIBUTOR:
        links = child.contributor_links.current()
        is_parent = links.filter(user=user, role=ContributorRole.PARENT).exists()
        if is_parent:
            return Q(visibility=Visibility.EVERYONE)
        return Q(visibility__in=[Visibility.EVERYONE, Visibility.NOT_PARENTS])
    return Q(pk__in=[])
