"""A model registered in the admin without the tenant scope is an error: it would let an
administrator of one municipality reach another's objects."""

from django.core.checks import Error, Tags, register


@register(Tags.admin)
def admin_is_tenant_scoped(app_configs=None, **kwargs):
    from django.contrib import admin

    from accounts.admin_scope import TenantScoped

    return [
        Error(
            f"{model._meta.label} is registered in the admin without the tenant scope.",
            hint="Register it with a ModelAdmin built on accounts.admin.AdministratorOnly "
            "(or accounts.admin_scope.OperatorsOnly for data of no municipality).",
            obj=type(model_admin),
            id="accounts.E001",
        )
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, TenantScoped)
    ]
