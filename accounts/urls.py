from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("login/code/setup/", views.otp_setup, name="otp_setup"),
    path("profile/", views.profile, name="profile"),
    path("profile/photo/", views.profile_photo, name="profile_photo"),
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
