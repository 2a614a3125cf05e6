from django.contrib.admin.apps import AdminConfig


class IvmtAdminConfig(AdminConfig):
    default_site = "ivmt_site.admin_site.IvmtAdminSite"
