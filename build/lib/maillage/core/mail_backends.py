"""An email backend writing one file per message, named by its Message-ID (the demo's outbox).

Django's file backend appends every message to a file named by the time; this one writes each
message to `<Message-ID>.eml` atomically, so a message sent again after a crash replaces its
own file instead of adding a copy: what a person finds in `var/mail/` is what they received.
"""

import os
import re
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class MessageFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            mime = message.message()
            name = re.sub(r"[^A-Za-z0-9@._-]", "", str(mime["Message-ID"] or ""))
            name = name or uuid.uuid4().hex
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(mime.as_bytes(linesep="\n"))
            os.replace(temporary, self.directory / f"{name}.eml")
        return len(email_messages)
