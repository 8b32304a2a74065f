"""What the challenge views share: turning service errors into GOV.UK errors, file responses."""

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: field errors beside fields, others on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def error_list(form) -> list[dict]:
    """Errors for the GOV.UK error summary, each linking to its field: errors about the whole
    form first, then the fields' in the order the form lays them out.
    """
    items = []
    order = ["__all__", *form.fields]
    for name in sorted(form.errors, key=lambda name: order.index(name) if name in order else 0):
        errors = form.errors[name]
        href = f"#id_{name}" if name != "__all__" else "#main-content"
        if name in form.fields and getattr(form.fields[name].widget, "input_type", None) == "radio":
            href = f"#id_{name}_0"
        items.extend({"text": message, "href": href} for message in errors)
    return items


def file_download(record):
    """Serve a private file as an attachment, never inline."""
    storage = storages["private"]
    try:
        handle = storage.open(record.storage_name, "rb")
    except FileNotFoundError:
        raise Http404("File missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.original_name,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
