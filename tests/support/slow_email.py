"""A file mail backend that takes its time, so a test can kill the worker at a chosen moment or make two workers'
sends overlap: SLOW_EMAIL_SECONDS before the message is written, SLOW_EMAIL_AFTER_SECONDS after it (the mail has
left but the outbox row is not yet marked), and SLOW_EMAIL_LOG collects "pid start end" per send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        start = time.time()
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "0")))
        sent = super().send_messages(email_messages)
        if os.environ.get("SLOW_EMAIL_LOG"):
            with open(os.environ["SLOW_EMAIL_LOG"], "a") as log:
                log.write(f"{os.getpid()} {start} {time.time()}\n")
        time.sleep(float(os.environ.get("SLOW_EMAIL_AFTER_SECONDS", "0")))
        return sent
