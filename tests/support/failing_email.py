"""A mail backend whose server always refuses, for the retry tests."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({"x@example.com": (550, b"refused by the test server")})
