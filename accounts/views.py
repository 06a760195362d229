"""Sign-in with password, then a TOTP second factor for staff; sign-out."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import ProfileForm, SignInForm, TokenForm
from accounts.models import Role
from accounts.signin import next_url, safe_url, username_for_log
from audit.models import AccessAction
from audit.services import access_record


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.STEMME_OIDC_ENABLED}

    def form_valid(self, form):
        response = super().form_valid(form)
        access_record(user=form.get_user(), action=AccessAction.SIGN_IN, path=self.request.path)
        return response

    def get_redirect_url(self):
        return safe_url(self.request)

    def form_invalid(self, form):
        username = username_for_log(form.data.get("username") or "")
        access_record(
            user=self.request.user,
            action=AccessAction.SIGN_IN_FAILED,
            record=f"username:{username}"[:100],
            path=self.request.path,
        )
        return super().form_invalid(form)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new contributor, a new staff member, or one whose password the administrator reset,
    chooses their password from the e-mailed link (one use only)."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def get_context_data(self, **kwargs):
        invited = self.user is not None and self.user.role == Role.CONTRIBUTOR
        return {**super().get_context_data(**kwargs), "contributor": invited}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        access_record(user=request.user, action=AccessAction.SIGN_OUT, path=request.path)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


def _other_step(request, name: str):
    """The other second-factor step, keeping `next` (checked when it is used)."""
    query = request.GET.urlencode()
    return redirect(f"{reverse(name)}?{query}" if query else reverse(name))


def _verified_redirect(request):
    return redirect(next_url(request))


def _check_token(request, device: TOTPDevice, token: str) -> str | None:
    """None when the token is right, otherwise the message to show (the failure is logged)."""
    allowed, _details = device.verify_is_allowed()
    if allowed and device.verify_token(token):
        return None
    access_record(
        user=request.user,
        action=AccessAction.SIGN_IN_FAILED,
        record="second factor",
        path=request.path,
    )
    if not allowed:
        return _("Too many wrong codes. Wait a moment and try again.")
    return _("The code is wrong or has expired. Try the newest code.")


@login_required
def otp_verify(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return _other_step(request, "accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = devices.first()
        error = _check_token(request, device, form.cleaned_data["token"])
        if error is None:
            otp_login(request, device)
            return _verified_redirect(request)
        form.add_error("token", error)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return _other_step(request, "accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_token(request, device, form.cleaned_data["token"])
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return _verified_redirect(request)
        form.add_error("token", error)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret},
    )


@login_required
def profile(request):
    """A staff member's own phone, title and photo, which the children they hold can see."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"phone": user.phone, "title": user.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=user,
                phone=form.cleaned_data["phone"],
                title=form.cleaned_data["title"],
                photo=form.cleaned_data["photo"],
                remove_photo=form.cleaned_data["remove_photo"],
            )
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def profile_photo(request):
    return photo_response(request.user)


def photo_response(person):
    """A staff member's photo (re-encoded as JPEG when saved), never cached; 404 without one."""
    if person is None or not person.photo:
        raise Http404
    response = FileResponse(person.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
