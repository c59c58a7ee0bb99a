"""A file mail backend that takes its time, so a test can kill the worker in the middle of sending."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "4")))
        return super().send_messages(email_messages)
