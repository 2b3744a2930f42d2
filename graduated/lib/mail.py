"""E-mail goes out through the task queue, so a slow mail server never holds up a page."""

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import task

DELIVERY_MAILER = "delivery"


@task(queue_name="email")
def deliver_email(
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    alternatives: list[tuple[str, str]],
) -> int:
    """Hand one message to the delivery mailer (SMTP in production, console in development)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return mailers[DELIVERY_MAILER].send_messages([message]) or 0


class QueuedEmailBackend(BaseEmailBackend):
    """The default mailer: queues each message as a ``deliver_email`` task."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            alternatives = [(str(alt[0]), str(alt[1])) for alt in getattr(message, "alternatives", [])]
            deliver_email.enqueue(
                subject=str(message.subject),
                body=str(message.body),
                from_email=str(message.from_email),
                to=[str(address) for address in message.to],
                alternatives=alternatives,
            )
        return len(email_messages)
