"""A real SMTP server in the test process (aiosmtpd), to receive what workers send."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: email.message.EmailMessage
    connection: int = 0  # which SMTP connection brought it: 1, 2... in order of arrival

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part.get_content()
        return ""


@dataclass
class Sink:
    """What the server received; ``refuse`` answers 550 to these recipients, ``busy`` 451,
    and ``on_message`` runs after a message is accepted (to kill a worker, say)."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    busy: set[str] = field(default_factory=set)
    on_message: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    sessions: list = field(default_factory=list)  # one per SMTP connection, in order

    def _connection(self, session) -> int:
        with self.lock:
            if not any(known is session for known in self.sessions):
                self.sessions.append(session)
            return next(n for n, known in enumerate(self.sessions, 1) if known is session)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._connection(session)
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        if address in self.busy:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        number = self._connection(session)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, number)
            )
        if self.on_message:
            self.on_message(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if address in item.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.sink = Sink()
        self.port = free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.controller.stop()
