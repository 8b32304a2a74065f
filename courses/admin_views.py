"""Wagtail admin: import a vendor's cmi5 package as a draft course (editors who may add courses)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from courses.cmi5.package import MAX_UPLOAD_BYTES
from courses.models import CourseIndexPage
from courses.services.cmi5 import PackageError, cmi5_package_import


def catalogue_for(user) -> CourseIndexPage | None:
    """The catalogue page the user may add courses to, if any."""
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None or not catalogue.permissions_for_user(user).can_add_subpage():
        return None
    return catalogue


class Cmi5ImportForm(forms.Form):
    package = forms.FileField(
        label="cmi5 package",
        help_text="A zip with cmi5.xml at its root, or a cmi5.xml whose AU urls are absolute. "
        f"At most {MAX_UPLOAD_BYTES // 2**20} MB.",
    )

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
        return upload


class Cmi5ImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a package; it becomes a draft course to map to skills and send for moderation."""

    page_title = "Import a cmi5 course"
    header_icon = "upload"
    template_name = "courses/admin/cmi5_import.html"
    form_class = Cmi5ImportForm

    def dispatch(self, request, *args, **kwargs):
        self.catalogue = catalogue_for(request.user)
        if self.catalogue is None:
            raise PermissionDenied("You cannot add courses to the catalogue.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        try:
            page = cmi5_package_import(
                data=upload.read(),
                parent=self.catalogue,
                owner=self.request.user,
                name=upload.name,
            )
        except PackageError as error:
            form.add_error("package", f"{error.message} (rule {error.rule})")
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"“{page.title}” is imported as a draft with {page.cmi5_package.units.count()} "
            "assignable units. Map it to the DDaT skills it builds, then submit it for moderation.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
