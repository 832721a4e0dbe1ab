"""Where e-mail goes on a machine without a mail server: one file per message (issue 20).

``make run`` sets ``HARBOUR_EMAIL_DIR`` (``var/mail/`` by default), so the reminders and alerts the
demo sends land as ``.eml`` files a newcomer can list, read with ``less`` or open in a mail program,
instead of scrolling through the terminal by the thousand. Django's own file backend puts every
message of one connection into a single ``.log`` file; this one gives each message its own file.
Production keeps SMTP (``HARBOUR_EMAIL_HOST``), and the tests keep Django's in-memory outbox.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from datetime import datetime

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend

_sequence = itertools.count(1)


class FilePerMessageBackend(DjangoFileBackend):
    """Writes each message to ``<EMAIL_FILE_PATH>/<date>-<time>-<n>.eml``, oldest first by name."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            self.close()
            self._fname = None  # a fresh file for every message
            sent += super().send_messages([message])
        return sent

    def write_message(self, message: EmailMessage) -> None:
        # The message alone, with no separator line after it: a valid .eml file.
        self.stream.write(message.message().as_bytes(linesep="\n"))

    def _get_filename(self) -> str:
        if self._fname is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            self._fname = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{next(_sequence):06d}.eml")
        return self._fname
