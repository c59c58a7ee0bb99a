"""Form helpers shared by the apps' views and admin forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def form_errors_from(form: forms.BaseForm, err: ValidationError) -> None:
    """Put a service's ValidationError onto the form that caused it: a field's error on the field when the form has
    it, anything else (and an error with no field) above the form."""
    if hasattr(err, "error_dict"):
        for field, errors in err.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, err.messages)
