"""The caseworker's side of the portal: hand the child a code (shown once, as text and QR),
close the access at once, and answer the child's "I need to talk"."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.policy import child_for_request
from portal import services
from portal.models import PortalAccess


@login_required
def access(request, child_id):
    child = child_for_request(request, child_id, record="portal_access")
    code = qr_svg = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            current = PortalAccess.objects.filter(child=child, revoked_at__isnull=True).first()
            if current is None:
                raise Http404
            services.access_revoke(actor=request.user, access=current)
            messages.success(request, _("The child's access is closed. Sessions end at once."))
            return redirect("portal:access", child_id=child.pk)
        _access, code = services.access_create(actor=request.user, child=child)
        url = settings.STEMME_PUBLIC_URL.rstrip("/") + reverse("portal:login")
        qr_svg = segno.make(f"{url}?{urlencode({'code': code})}", error="m").svg_inline(
            scale=5, title=_("QR code to sign in to My Stemme")
        )
    current = (
        PortalAccess.objects.filter(child=child, revoked_at__isnull=True)
        .select_related("created_by")
        .first()
    )
    response = render(
        request,
        "portal/access.html",
        {"child": child, "current": current, "code": code, "qr_svg": qr_svg},
    )
    response["Cache-Control"] = "private, no-store"  # the code is shown once, never cached
    return response


@login_required
def talk_answer(request, child_id, talk_id):
    child = child_for_request(request, child_id, record="portal_talk")
    talk = child.talk_requests.filter(pk=talk_id).first()
    if talk is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.talk_answer(actor=request.user, request=talk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as answered."))
    return redirect("cases:child", child_id=child.pk)
